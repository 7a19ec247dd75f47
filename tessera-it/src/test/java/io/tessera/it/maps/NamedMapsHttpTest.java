package io.tessera.it.maps;

import static io.tessera.it.maps.MapsTestSupport.getBytes;
import static io.tessera.it.maps.MapsTestSupport.json;
import static io.tessera.it.maps.MapsTestSupport.mapUrl;
import static io.tessera.it.maps.MapsTestSupport.postJson;
import static io.tessera.it.maps.MapsTestSupport.send;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.it.TesseraHarness;
import io.tessera.server.auth.Accounts;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Named maps over raw HTTP: master-only admin, token auth, drawing private data as the owner, placeholders. */
class NamedMapsHttpTest {
    private static Accounts.Created carol;
    private static String key;

    @BeforeAll
    static void setUp() {
        carol = TesseraHarness.newUser("mapsnamed");
        key = "?api_key=" + carol.masterKey();
        MapsTestSupport.makePoints(carol, "hidden"); // private: default_public has no grant
    }

    private static String template(String name, String auth) {
        return "{\"version\":\"0.0.1\",\"name\":\"" + name + "\",\"auth\":" + auth + ","
                + "\"placeholders\":{\"who\":{\"type\":\"sql_literal\",\"default\":\"a\"},\"color\":{\"type\":\"css_color\",\"default\":\"red\"}},"
                + "\"layergroup\":{\"version\":\"1.0.1\",\"layers\":[{\"type\":\"cartodb\",\"options\":{\"cartocss_version\":\"2.1.1\","
                + "\"cartocss\":\"#layer { marker-fill: <%= color %>; }\",\"sql\":\"select * from hidden where name <> '<%= who %>'\"}}]}}";
    }

    @Test
    void adminIsMasterOnlyAndFollowsTheContract() throws Exception {
        HttpResponse<String> noKey = postJson(mapUrl(carol, "/named"), template("m1", "{\"method\":\"open\"}"));
        assertThat(noKey.statusCode()).isEqualTo(403);
        assertThat(json(noKey).at("/errors/0").asText()).isEqualTo("Only authenticated users can create templated maps");
        assertThat(postJson(mapUrl(carol, "/named?api_key=nope"), template("m1", "{\"method\":\"open\"}")).statusCode()).isEqualTo(401);
        assertThat(postJson(mapUrl(carol, "/named?api_key=default_public"), template("m1", "{\"method\":\"open\"}")).statusCode()).isEqualTo(403);
        // key in the body, as carto-python sends it; it is not stored
        String withKey = template("m1", "{\"method\":\"open\"}").replaceFirst("\\{", "{\"api_key\":\"" + carol.masterKey() + "\",\"client\":\"cps\",");
        HttpResponse<String> created = postJson(mapUrl(carol, "/named/"), withKey);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        assertThat(json(created).get("template_id").asText()).isEqualTo("m1");
        assertThat(postJson(mapUrl(carol, "/named" + key), template("m1", "{\"method\":\"open\"}")).body())
                .contains("Template 'm1' of user '" + carol.user().username() + "' already exists");
        JsonNode got = json(send("GET", mapUrl(carol, "/named/m1/" + key), null));
        assertThat(got.at("/template/name").asText()).isEqualTo("m1");
        assertThat(got.at("/template").has("api_key")).isFalse();
        assertThat(json(send("GET", mapUrl(carol, "/named" + key), null)).get("template_ids").toString()).contains("\"m1\"");
        HttpResponse<String> rename = send("PUT", mapUrl(carol, "/named/m1" + key), template("m2", "{\"method\":\"open\"}"));
        assertThat(json(rename).at("/errors/0").asText()).isEqualTo("Cannot update name of a map template ('m1' != 'm2')");
        assertThat(send("PUT", mapUrl(carol, "/named/m1" + key), template("m1", "{\"method\":\"token\",\"valid_tokens\":[\"t\"]}")).statusCode())
                .isEqualTo(200);
        assertThat(send("PUT", mapUrl(carol, "/named/zz" + key), template("zz", "{\"method\":\"open\"}")).statusCode()).isEqualTo(404);
        assertThat(send("DELETE", mapUrl(carol, "/named/" + carol.user().username() + "@m1" + key), null).statusCode()).isEqualTo(204);
        HttpResponse<String> gone = send("GET", mapUrl(carol, "/named/m1" + key), null);
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(json(gone).at("/errors/0").asText()).isEqualTo("Cannot find template 'm1' of user '" + carol.user().username() + "'");
        assertThat(send("DELETE", mapUrl(carol, "/named/m1" + key), null).statusCode()).isEqualTo(404);
    }

    @Test
    void tokenTemplatesPublishPrivateDataThroughTheToken() throws Exception {
        assertThat(postJson(mapUrl(carol, "/named" + key), template("tok", "{\"method\":\"token\",\"valid_tokens\":[\"s3cret\"]}"))
                .statusCode()).isEqualTo(200);
        // no token: refused, even with the master key
        assertThat(json(postJson(mapUrl(carol, "/named/tok"), "{}")).at("/errors/0").asText()).isEqualTo("Unauthorized template instantiation");
        assertThat(postJson(mapUrl(carol, "/named/tok" + key), "{}").statusCode()).isEqualTo(403);
        assertThat(postJson(mapUrl(carol, "/named/nope"), "{}").statusCode()).isEqualTo(404);
        HttpResponse<String> r = postJson(mapUrl(carol, "/named/tok?auth_token=s3cret"), "{\"who\":\"b\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        String lgid = json(r).get("layergroupid").asText();
        assertThat(lgid).matches(carol.user().username() + "@[0-9a-f]{8}@[0-9a-f]{32}:\\d+");
        assertThat(r.headers().firstValue("Carto-Template-Hash")).isPresent();
        // tiles of the instance need the token on every request; they draw as the owner (the table is private)
        assertThat(getBytes(mapUrl(carol, "/" + lgid + "/0/0/0.mvt")).statusCode()).isEqualTo(403);
        HttpResponse<byte[]> tile = getBytes(mapUrl(carol, "/" + lgid + "/0/0/0.mvt?auth_token=s3cret"));
        assertThat(tile.statusCode()).isEqualTo(200);
        assertThat(MvtReader.layers(tile.body()).get("layer0").features()).isEqualTo(2); // 'b' filtered out
        // straight from the template, with parameters in ?config=
        String cfg = URLEncoder.encode("{\"who\":\"nobody\"}", StandardCharsets.UTF_8);
        HttpResponse<byte[]> direct = getBytes(mapUrl(carol, "/named/tok/all/0/0/0.mvt?auth_token=s3cret&config=" + cfg));
        assertThat(MvtReader.layers(direct.body()).get("layer0").features()).isEqualTo(3);
        assertThat(getBytes(mapUrl(carol, "/named/tok/0/0/0/0.mvt")).statusCode()).isEqualTo(403);
        assertThat(getBytes(mapUrl(carol, "/named/tok/0/0/0.mvt?auth_token=s3cret")).statusCode()).isEqualTo(200);
        // JSONP instantiation
        HttpResponse<String> jsonp = send("GET", mapUrl(carol, "/named/tok/jsonp?auth_token=s3cret&callback=f&config=" + cfg), null);
        assertThat(jsonp.body()).startsWith("/**/ typeof f === 'function' && f({\"layergroupid\":\"" + carol.user().username() + "@");
        assertThat(send("GET", mapUrl(carol, "/named/tok/jsonp?auth_token=s3cret"), null).body())
                .contains("callback parameter should be present and be a function name");
    }

    @Test
    void placeholderValuesCannotBreakOutOfTheirPlace() throws Exception {
        assertThat(postJson(mapUrl(carol, "/named" + key), template("inj", "{\"method\":\"open\"}")).statusCode()).isEqualTo(200);
        String attack = "{\"who\":\"x' OR true; DELETE FROM hidden; --\"}";
        HttpResponse<String> r = postJson(mapUrl(carol, "/named/inj"), attack);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        HttpResponse<byte[]> tile = getBytes(mapUrl(carol, "/" + json(r).get("layergroupid").asText() + "/0/0/0.mvt"));
        assertThat(MvtReader.layers(tile.body()).get("layer0").features()).isEqualTo(3);
        assertThat(TesseraHarness.master(carol).send("SELECT count(*) AS n FROM hidden").at("/rows/0/n").asInt()).isEqualTo(3);
        HttpResponse<String> badColor = postJson(mapUrl(carol, "/named/inj"), "{\"color\":\"red;}\"}");
        assertThat(badColor.statusCode()).isEqualTo(400);
    }

    @Test
    void namedMapsDrawInAReadOnlyTransaction() throws Exception {
        TesseraHarness.master(carol).send("CREATE FUNCTION wipe() RETURNS int LANGUAGE sql AS 'DELETE FROM hidden; SELECT 1'");
        String t = "{\"version\":\"0.0.1\",\"name\":\"writer\",\"layergroup\":{\"layers\":[{\"options\":{"
                + "\"sql\":\"select *, wipe() AS w from hidden\"}}]}}";
        assertThat(postJson(mapUrl(carol, "/named" + key), t).statusCode()).isEqualTo(200);
        HttpResponse<String> r = postJson(mapUrl(carol, "/named/writer"), "{}");
        assertThat(r.statusCode()).isEqualTo(200); // inspection never runs the query's functions
        HttpResponse<byte[]> tile = getBytes(mapUrl(carol, "/" + json(r).get("layergroupid").asText() + "/0/0/0.mvt"));
        assertThat(tile.statusCode()).isEqualTo(400);
        assertThat(new String(tile.body(), StandardCharsets.UTF_8)).contains("read-only transaction");
        assertThat(TesseraHarness.master(carol).send("SELECT count(*) AS n FROM hidden").at("/rows/0/n").asInt()).isEqualTo(3);
    }
}
