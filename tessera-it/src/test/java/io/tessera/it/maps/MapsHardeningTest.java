package io.tessera.it.maps;

import static io.tessera.it.maps.MapsTestSupport.getBytes;
import static io.tessera.it.maps.MapsTestSupport.json;
import static io.tessera.it.maps.MapsTestSupport.mapUrl;
import static io.tessera.it.maps.MapsTestSupport.postJson;
import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.it.TesseraHarness;
import io.tessera.server.auth.Accounts;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Security review of the Maps API: planted PostGIS look-alikes, the key's apis grant. */
class MapsHardeningTest {
    private static Accounts.Created dora;
    private static String master;

    @BeforeAll
    static void setUp() {
        dora = TesseraHarness.newUser("mapshard");
        master = "?api_key=" + dora.masterKey();
        MapsTestSupport.makePoints(dora, "pts"); // private: only the owner role reads it
    }

    private static String createKey(String name, String grants) throws Exception {
        HttpResponse<String> r = postJson(TesseraHarness.baseUrl(dora.user().username()) + "api/v3/api_keys",
                "{\"name\":\"" + name + "\",\"grants\":" + grants + ",\"api_key\":\"" + dora.masterKey() + "\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return json(r).get("token").asText();
    }

    private static String lgid(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json(r).get("layergroupid").asText();
    }

    @Test
    void serverSqlNeverCallsFunctionsPlantedInTheUserSchema() throws Exception {
        String schema = "\"" + dora.user().username() + "\"";
        String planter = createKey("planter", "[{\"type\":\"apis\",\"apis\":[\"sql\",\"maps\"]},{\"type\":\"database\","
                + "\"schemas\":[{\"name\":\"" + dora.user().username() + "\",\"permissions\":[\"create\"]}]}]");
        // exact-signature look-alikes in the schema that comes before public in search_path
        String body = " LANGUAGE plpgsql AS $$BEGIN RAISE EXCEPTION 'planted function ran as %', current_user; END$$";
        TesseraHarness.sql(dora, planter).send("CREATE FUNCTION " + schema + ".st_asmvtgeom(geometry, geometry, integer, integer, boolean)"
                + " RETURNS geometry" + body + ";"
                + "CREATE FUNCTION " + schema + ".st_transform(geometry, integer) RETURNS geometry" + body + ";"
                + "CREATE FUNCTION " + schema + ".st_tileenvelope(integer, integer, integer) RETURNS geometry" + body + ";"
                + "CREATE FUNCTION " + schema + ".planted_overlaps(geometry, geometry) RETURNS boolean" + body + ";"
                + "CREATE OPERATOR " + schema + ".&& (LEFTARG = geometry, RIGHTARG = geometry, FUNCTION = "
                + schema + ".planted_overlaps)");

        String anon = lgid(postJson(mapUrl(dora, master), MapsTestSupport.layergroup("select * from pts", "")));
        assertDrawn(getBytes(mapUrl(dora, "/" + anon + "/0/0/0.mvt" + master)));
        assertDrawn(getBytes(mapUrl(dora, "/" + anon + "/0/0/0.png" + master)));
        assertDrawn(getBytes(mapUrl(dora, "/static/center/" + anon + "/0/0/0/64/64.png" + master)));

        String template = "{\"version\":\"0.0.1\",\"name\":\"planted\",\"auth\":{\"method\":\"open\"},\"layergroup\":"
                + MapsTestSupport.layergroup("select * from pts", "") + "}";
        assertThat(postJson(mapUrl(dora, "/named" + master), template).statusCode()).isEqualTo(200);
        assertDrawn(getBytes(mapUrl(dora, "/named/planted/all/0/0/0.mvt")));
        String named = lgid(postJson(mapUrl(dora, "/named/planted"), "{}"));
        assertDrawn(getBytes(mapUrl(dora, "/" + named + "/0/0/0.mvt")));
        assertDrawn(getBytes(mapUrl(dora, "/" + named + "/0/0/0.png")));
    }

    private static void assertDrawn(HttpResponse<byte[]> r) {
        String text = new String(r.body(), StandardCharsets.ISO_8859_1);
        assertThat(text).doesNotContain("planted function ran");
        assertThat(r.statusCode()).as(text).isEqualTo(200);
        assertThat(r.body()).isNotEmpty();
    }

    private static String tokenTemplate(String name, String token) {
        return "{\"version\":\"0.0.1\",\"name\":\"" + name + "\",\"auth\":{\"method\":\"token\",\"valid_tokens\":[\""
                + token + "\"]},\"layergroup\":" + MapsTestSupport.layergroup("select * from pts", "") + "}";
    }

    @Test
    void rotatingOrDeletingATemplateRevokesItsLayergroups() throws Exception {
        assertThat(postJson(mapUrl(dora, "/named" + master), tokenTemplate("rotated", "old")).statusCode()).isEqualTo(200);
        String lg = lgid(postJson(mapUrl(dora, "/named/rotated?auth_token=old"), "{}"));
        String tile = "/" + lg + "/0/0/0.mvt";
        assertThat(getBytes(mapUrl(dora, tile + "?auth_token=old")).statusCode()).isEqualTo(200);
        assertThat(getBytes(mapUrl(dora, "/" + lg + "/0/0/0.png?auth_token=old")).statusCode()).isEqualTo(200);
        // the owner rotates the token: the old one opens nothing, not even the layergroup made with it
        assertThat(MapsTestSupport.send("PUT", mapUrl(dora, "/named/rotated" + master), tokenTemplate("rotated", "new"))
                .statusCode()).isEqualTo(200);
        for (String path : new String[] {tile, "/" + lg + "/0/0/0.png", "/" + lg + "/layer0/attributes/1",
            "/static/center/" + lg + "/0/0/0/64/64.png"}) {
            HttpResponse<byte[]> r = getBytes(mapUrl(dora, path + "?auth_token=old"));
            assertThat(r.statusCode()).as(path).isIn(400, 403, 404);
            assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("\"errors\"");
        }
        // a layergroup made with the new token dies with the template
        String fresh = lgid(postJson(mapUrl(dora, "/named/rotated?auth_token=new"), "{}"));
        assertThat(getBytes(mapUrl(dora, "/" + fresh + "/0/0/0.mvt?auth_token=new")).statusCode()).isEqualTo(200);
        assertThat(MapsTestSupport.send("DELETE", mapUrl(dora, "/named/rotated" + master), null).statusCode()).isEqualTo(204);
        assertThat(getBytes(mapUrl(dora, "/" + fresh + "/0/0/0.mvt?auth_token=new")).statusCode()).isIn(400, 403, 404);
        assertThat(getBytes(mapUrl(dora, "/" + fresh + "/0/0/0.mvt" + master)).statusCode()).isIn(400, 403, 404);
    }

    @Test
    void anOversizedAnonymousConfigIsRefusedWithAClearMessage() throws Exception {
        String huge = MapsTestSupport.layergroup("select * from pts where name <> '" + "x".repeat(300 * 1024) + "'", "");
        HttpResponse<String> r = postJson(mapUrl(dora, master), huge);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).at("/errors/0").asText()).startsWith("Map config too large: ").endsWith("the limit is 262144 bytes");
        assertThat(postJson(mapUrl(dora, master), MapsTestSupport.layergroup("select * from pts", "")).statusCode()).isEqualTo(200);
    }

    @Test
    void aKeyWithoutTheMapsGrantCannotCreateOrDrawMaps() throws Exception {
        String sqlOnly = createKey("sqlonly", "[{\"type\":\"apis\",\"apis\":[\"sql\"]},{\"type\":\"database\","
                + "\"tables\":[{\"schema\":\"" + dora.user().username() + "\",\"name\":\"pts\",\"permissions\":[\"select\"]}]}]");
        String config = MapsTestSupport.layergroup("select * from pts", "");
        HttpResponse<String> create = postJson(mapUrl(dora, "?api_key=" + sqlOnly), config);
        assertThat(create.statusCode()).as(create.body()).isEqualTo(403);
        assertThat(json(create).at("/errors_with_context/0/type").asText()).isEqualTo("auth");
        String lg = lgid(postJson(mapUrl(dora, master), config));
        HttpResponse<byte[]> tile = getBytes(mapUrl(dora, "/" + lg + "/0/0/0.mvt?api_key=" + sqlOnly));
        assertThat(tile.statusCode()).isEqualTo(403);
        assertThat(json(postJson(mapUrl(dora, "/named?api_key=" + sqlOnly), "{}")).at("/errors/0").asText()).isEqualTo("Forbidden");
    }
}
