package io.tessera.it.maps;

import static io.tessera.it.maps.MapsTestSupport.getBytes;
import static io.tessera.it.maps.MapsTestSupport.json;
import static io.tessera.it.maps.MapsTestSupport.layergroup;
import static io.tessera.it.maps.MapsTestSupport.mapUrl;
import static io.tessera.it.maps.MapsTestSupport.postJson;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.it.TesseraHarness;
import io.tessera.server.auth.Accounts;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Anonymous maps over raw HTTP: instantiation, metadata, errors, MVT tiles, attributes, cache headers. */
class AnonymousMapsTest {
    private static Accounts.Created alice;

    @BeforeAll
    static void setUp() {
        alice = TesseraHarness.newUser("mapsanon");
        MapsTestSupport.makePoints(alice, "pts");
    }

    private static JsonNode instantiate(String config) throws Exception {
        HttpResponse<String> r = postJson(mapUrl(alice, "?api_key=" + alice.masterKey()), config);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json(r);
    }

    @Test
    void instantiationAnswersCartoShape() throws Exception {
        String config = layergroup("select * from pts", "");
        HttpResponse<String> r = postJson(mapUrl(alice, "/"), config.replaceFirst("\\{", "{\"api_key\":\"" + alice.masterKey()
                + "\",\"client\":\"cps-1.11.3\","));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode b = json(r);
        String lgid = b.get("layergroupid").asText();
        assertThat(lgid).matches("[0-9a-f]{32}:\\d+");
        assertThat(lgid).doesNotEndWith(":0"); // the table is tracked, so the cache buster is its stamp
        assertThat(r.headers().firstValue("X-Layergroup-Id")).contains(lgid);
        assertThat(b.get("last_updated").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        JsonNode layer = b.at("/metadata/layers/0");
        assertThat(layer.get("id").asText()).isEqualTo("layer0");
        assertThat(layer.get("type").asText()).isEqualTo("mapnik");
        assertThat(layer.at("/meta/stats/estimatedFeatureCount").asLong()).isGreaterThan(0);
        assertThat(layer.at("/tilejson/vector/tiles/0").asText()).endsWith("/" + lgid + "/layer0/{z}/{x}/{y}.mvt?api_key=" + alice.masterKey());
        assertThat(layer.at("/tilejson/raster/grids/0").asText()).contains("/layer0/{z}/{x}/{y}.grid.json");
        assertThat(b.at("/metadata/tilejson/vector/tiles/0").asText())
                .isEqualTo(mapUrl(alice, "/" + lgid + "/{z}/{x}/{y}.mvt?api_key=" + alice.masterKey()));
        assertThat(b.at("/metadata/url/raster/urlTemplate").asText()).endsWith("/" + lgid + "/{z}/{x}/{y}.png?api_key=" + alice.masterKey());
        // api_key and client from the body are stripped before hashing: same config, key in the query → same id
        assertThat(instantiate(config).get("layergroupid").asText()).isEqualTo(lgid);
    }

    @Test
    void jsonpGetInstantiatesAndReportsErrorsWith200() throws Exception {
        String config = URLEncoder.encode(layergroup("select * from pts", ""), StandardCharsets.UTF_8);
        HttpResponse<String> r = TesseraHarness.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                mapUrl(alice, "?api_key=" + alice.masterKey() + "&callback=cb&config=" + config))).build());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).startsWith("/**/ typeof cb === 'function' && cb({\"layergroupid\":");
        assertThat(r.headers().firstValue("Cache-Control").orElse("")).contains("must-revalidate");
        HttpResponse<String> e = TesseraHarness.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                mapUrl(alice, "?callback=cb&config=" + URLEncoder.encode("{\"version\":\"1.0.0\"}", StandardCharsets.UTF_8)))).build());
        assertThat(e.statusCode()).isEqualTo(200);
        assertThat(e.body()).contains("cb({\"errors\":[\"Missing layers array from layergroup config\"]");
    }

    @Test
    void invalidConfigsAreClear400s() throws Exception {
        Map<String, String> cases = Map.of(
                "{\"version\":\"1.0.0\"}", "Missing layers array from layergroup config",
                "{\"version\":\"2.0.0\",\"layers\":[]}", "Unsupported layergroup configuration version 2.0.0",
                "{\"layers\":[{\"type\":\"mapnik\"}]}", "Missing options from layer 0 of layergroup config",
                "{\"layers\":[{\"type\":\"mapnik\",\"options\":{\"cartocss\":\"#l{}\",\"cartocss_version\":\"2.1.1\"}}]}", "Missing sql for layer 0 options",
                "{\"layers\":[{\"type\":\"mapnik\",\"options\":{\"sql\":\"select * from pts\",\"cartocss\":\"#l{a:b}\"}}]}", "Missing cartocss_version for layer 0 options",
                "{\"layers\":[],\"dataviews\":{\"d\":{\"type\":\"histogram\"}}}", "Dataviews are not supported by this server",
                "{\"layers\":[{\"type\":\"mapnik\",\"options\":{\"sql\":\"select * from pts\",\"aggregation\":{\"threshold\":1}}}]}",
                "Aggregation is not supported by this server (layer 0)");
        for (var c : cases.entrySet()) {
            HttpResponse<String> r = postJson(mapUrl(alice, "?api_key=" + alice.masterKey()), c.getKey());
            assertThat(r.statusCode()).as(c.getKey()).isEqualTo(400);
            JsonNode b = json(r);
            assertThat(b.at("/errors/0").asText()).as(c.getKey()).isEqualTo(c.getValue());
            assertThat(b.at("/errors_with_context/0/message").asText()).isEqualTo(c.getValue());
        }
        HttpResponse<String> mixed = postJson(mapUrl(alice, "?api_key=" + alice.masterKey()),
                "{\"layers\":[{\"options\":{\"sql\":\"select * from pts\"}},{\"options\":{\"sql\":\"select * from pts\",\"cartocss\":\"#l{}\",\"cartocss_version\":\"2.1.1\"}}]}");
        assertThat(json(mixed).at("/errors_with_context/0/type").asText()).isEqualTo("mapconfig");
        HttpResponse<String> notJson = MapsTestSupport.send("POST", mapUrl(alice, "?api_key=" + alice.masterKey()), null);
        assertThat(json(notJson).at("/errors/0").asText()).isEqualTo("POST data must be of type application/json");
        HttpResponse<String> badColumn = postJson(mapUrl(alice, "?api_key=" + alice.masterKey()),
                "{\"layers\":[{\"options\":{\"sql\":\"select name from pts\"}}]}");
        assertThat(badColumn.statusCode()).isEqualTo(400);
        assertThat(json(badColumn).at("/errors_with_context/0/layer/id").asText()).isEqualTo("layer0");
        HttpResponse<String> noTable = postJson(mapUrl(alice, "?api_key=" + alice.masterKey()),
                "{\"layers\":[{\"options\":{\"sql\":\"select * from nope\"}}]}");
        assertThat(noTable.statusCode()).isEqualTo(404);
        assertThat(json(noTable).at("/errors_with_context/0/type").asText()).isEqualTo("layer");
        HttpResponse<byte[]> badToken = getBytes(mapUrl(alice, "/deadbeef/0/0/0.mvt"));
        assertThat(badToken.statusCode()).isEqualTo(400);
        assertThat(new String(badToken.body(), StandardCharsets.UTF_8)).contains("Invalid or nonexistent map configuration token 'deadbeef'");
    }

    @Test
    void mvtTilesHaveLayersPropertiesAndCacheHeaders() throws Exception {
        JsonNode b = instantiate("{\"layers\":[{\"options\":{\"sql\":\"select * from pts\"}},"
                + "{\"id\":\"second\",\"options\":{\"sql\":\"select * from pts where n = 2\"}}]}");
        String lgid = b.get("layergroupid").asText();
        String key = "?api_key=" + alice.masterKey();
        HttpResponse<byte[]> t = getBytes(mapUrl(alice, "/" + lgid + "/0/0/0.mvt" + key));
        assertThat(t.statusCode()).isEqualTo(200);
        assertThat(t.headers().firstValue("Content-Type")).contains("application/x-protobuf");
        Map<String, MvtReader.Layer> layers = MvtReader.layers(t.body());
        assertThat(layers.keySet()).containsExactly("layer0", "second");
        assertThat(layers.get("layer0").features()).isEqualTo(3);
        assertThat(layers.get("layer0").extent()).isEqualTo(4096);
        assertThat(layers.get("layer0").keys()).contains("name", "n", "cartodb_id").doesNotContain("d", "the_geom");
        assertThat(layers.get("second").features()).isEqualTo(1);
        // layer filters: index, explicit id, generated id, comma list, all
        assertThat(MvtReader.layers(getBytes(mapUrl(alice, "/" + lgid + "/1/0/0/0.mvt" + key)).body()).keySet()).containsExactly("second");
        assertThat(MvtReader.layers(getBytes(mapUrl(alice, "/" + lgid + "/second/0/0/0.mvt" + key)).body()).keySet()).containsExactly("second");
        assertThat(MvtReader.layers(getBytes(mapUrl(alice, "/" + lgid + "/layer0/0/0/0.mvt" + key)).body()).keySet()).containsExactly("layer0");
        assertThat(MvtReader.layers(getBytes(mapUrl(alice, "/" + lgid + "/1,0/0/0/0.mvt" + key)).body()).keySet()).containsExactly("layer0", "second");
        assertThat(MvtReader.layers(getBytes(mapUrl(alice, "/" + lgid + "/all/0/0/0.mvt" + key)).body()).keySet()).containsExactly("layer0", "second");
        assertThat(getBytes(mapUrl(alice, "/" + lgid + "/7/0/0/0.mvt" + key)).statusCode()).isEqualTo(400);
        // a tile with nothing in it
        assertThat(getBytes(mapUrl(alice, "/" + lgid + "/10/0/0.mvt" + key)).statusCode()).isEqualTo(204);
        // bad coordinates and formats
        assertThat(getBytes(mapUrl(alice, "/" + lgid + "/1/0/2.mvt" + key)).statusCode()).isEqualTo(400);
        assertThat(getBytes(mapUrl(alice, "/" + lgid + "/a/0/0.mvt" + key)).statusCode()).isEqualTo(400);
        assertThat(getBytes(mapUrl(alice, "/" + lgid + "/0/0/0.gif" + key)).statusCode()).isEqualTo(400);
        // negative x wraps
        assertThat(getBytes(mapUrl(alice, "/" + lgid + "/1/-2/0.mvt" + key)).body())
                .isEqualTo(getBytes(mapUrl(alice, "/" + lgid + "/1/0/0.mvt" + key)).body());
        // cache headers: strong ETag, Last-Modified, a year when the URL's cache buster is current; 304
        String etag = t.headers().firstValue("ETag").orElseThrow();
        assertThat(etag).matches("\"[0-9a-f]{32}\"");
        assertThat(t.headers().firstValue("Last-Modified").orElseThrow())
                .matches("(Mon|Tue|Wed|Thu|Fri|Sat|Sun), [0-9]{2} [A-Z][a-z]{2} [0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2} GMT");
        assertThat(t.headers().firstValue("Cache-Control")).contains("public,max-age=31536000");
        HttpResponse<byte[]> again = getBytes(mapUrl(alice, "/" + lgid + "/0/0/0.mvt" + key), "If-None-Match", etag);
        assertThat(again.statusCode()).isEqualTo(304);
        HttpResponse<byte[]> since = getBytes(mapUrl(alice, "/" + lgid + "/0/0/0.mvt" + key),
                "If-Modified-Since", t.headers().firstValue("Last-Modified").orElseThrow());
        assertThat(since.statusCode()).isEqualTo(304);
    }

    @Test
    void attributesOfOneFeature() throws Exception {
        String lgid = instantiate(layergroup("select * from pts", "")).get("layergroupid").asText();
        String key = "?api_key=" + alice.masterKey();
        HttpResponse<byte[]> r = getBytes(mapUrl(alice, "/" + lgid + "/0/attributes/2" + key));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("{\"name\":\"b\",\"n\":2}");
        assertThat(getBytes(mapUrl(alice, "/" + lgid + "/0/attributes/99" + key)).statusCode()).isEqualTo(404);
        String plain = instantiate("{\"layers\":[{\"options\":{\"sql\":\"select * from pts\"}}]}").get("layergroupid").asText();
        HttpResponse<byte[]> none = getBytes(mapUrl(alice, "/" + plain + "/0/attributes/2" + key));
        assertThat(none.statusCode()).isEqualTo(400);
        assertThat(new String(none.body(), StandardCharsets.UTF_8)).contains("Layer 0 has no exposed attributes");
    }
}
