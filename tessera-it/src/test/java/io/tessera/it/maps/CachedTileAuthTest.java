package io.tessera.it.maps;

import static io.tessera.it.maps.MapsTestSupport.admin;
import static io.tessera.it.maps.MapsTestSupport.cachedTile;
import static io.tessera.it.maps.MapsTestSupport.getBytes;
import static io.tessera.it.maps.MapsTestSupport.json;
import static io.tessera.it.maps.MapsTestSupport.mapUrl;
import static io.tessera.it.maps.MapsTestSupport.postJson;
import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.it.TesseraHarness;
import io.tessera.server.auth.Accounts;
import io.tessera.server.db.ChangeFeed;
import io.tessera.server.testing.TestPostgis;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Cached tiles and who may have them: a key deleted or regenerated and a template changed or deleted elsewhere
 * (straight in the database, as another node would) are refused by the very next request; and with the change feed
 * cut, tiles are still never stale.
 */
class CachedTileAuthTest {
    private static Accounts.Created eve;
    private static String schema;

    @BeforeAll
    static void setUp() {
        eve = TesseraHarness.newUser("mapsauth");
        schema = "\"" + eve.user().schema() + "\"";
        MapsTestSupport.makePoints(eve, "shared");
        MapsTestSupport.makePoints(eve, "private_pts");
    }

    private static String regularKey(String name) throws Exception {
        String grants = "[{\"type\":\"apis\",\"apis\":[\"maps\"]},{\"type\":\"database\",\"tables\":[{\"schema\":\""
                + eve.user().schema() + "\",\"name\":\"shared\",\"permissions\":[\"select\"]}]}]";
        HttpResponse<String> r = MapsTestSupport.send("POST", TesseraHarness.baseUrl(eve.user().username()) + "api/v3/api_keys?api_key="
                + eve.masterKey(), "{\"name\":\"" + name + "\",\"grants\":" + grants + "}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return json(r).get("token").asText();
    }

    private static String anonymousTile(String key) throws Exception {
        HttpResponse<String> r = postJson(mapUrl(eve, "?api_key=" + key), "{\"layers\":[{\"options\":{\"sql\":\"select * from shared\"}}]}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return mapUrl(eve, "/" + json(r).get("layergroupid").asText() + "/0/0/0.mvt?api_key=");
    }

    @Test
    void aKeyDeletedElsewhereIsRefusedAtOnce() throws Exception {
        String key = regularKey("deleted-elsewhere");
        String url = anonymousTile(key);
        cachedTile(url + key);
        admin("DELETE FROM tessera.api_keys WHERE token = '" + key + "'");
        assertThat(getBytes(url + key).statusCode()).isEqualTo(401);
    }

    @Test
    void aKeyRegeneratedElsewhereIsRefusedAtOnce() throws Exception {
        String key = regularKey("regenerated-elsewhere");
        String url = anonymousTile(key);
        cachedTile(url + key);
        admin("UPDATE tessera.api_keys SET token = '" + key + "x' WHERE token = '" + key + "'");
        assertThat(getBytes(url + key).statusCode()).isEqualTo(401);
        cachedTile(url + key + "x");
    }

    private static String namedTile(String name) throws Exception {
        String template = "{\"version\":\"0.0.1\",\"name\":\"" + name + "\",\"auth\":{\"method\":\"token\",\"valid_tokens\":[\"tok1\"]},"
                + "\"layergroup\":{\"layers\":[{\"options\":{\"sql\":\"select * from private_pts\"}}]}}";
        assertThat(postJson(mapUrl(eve, "/named?api_key=" + eve.masterKey()), template).statusCode()).isEqualTo(200);
        HttpResponse<String> r = postJson(mapUrl(eve, "/named/" + name + "?auth_token=tok1"), "{}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return mapUrl(eve, "/" + json(r).get("layergroupid").asText() + "/0/0/0.mvt?auth_token=tok1");
    }

    @Test
    void aTemplateTokenRotatedElsewhereIsRefusedAtOnce() throws Exception {
        String url = namedTile("rotated");
        cachedTile(url);
        admin("UPDATE tessera.map_templates SET template = replace(template, '\"tok1\"', '\"tok2\"') WHERE name = 'rotated'"
                + " AND user_id = '" + eve.user().id() + "'");
        assertThat(getBytes(url).statusCode()).isEqualTo(400);
        assertThat(getBytes(url.replace("tok1", "tok2")).statusCode()).isEqualTo(400); // made from the old template
    }

    @Test
    void aTemplateDeletedElsewhereIsRefusedAtOnce() throws Exception {
        String url = namedTile("deleted");
        cachedTile(url);
        admin("DELETE FROM tessera.map_templates WHERE name = 'deleted' AND user_id = '" + eve.user().id() + "'");
        assertThat(getBytes(url).statusCode()).isEqualTo(400);
    }

    @Test
    void withTheChangeFeedCutTilesAreStillCurrent() throws Exception {
        String url = mapUrl(eve, "/" + json(postJson(mapUrl(eve, "?api_key=" + eve.masterKey()),
                "{\"layers\":[{\"options\":{\"sql\":\"select * from shared\"}}]}")).get("layergroupid").asText()
                + "/0/0/0.mvt?api_key=" + eve.masterKey());
        cachedTile(url);
        for (int round = 0; round < 2; round++) {
            admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name LIKE 'tessera-feed%'",
                    "UPDATE " + schema + ".shared SET name = 'cut" + round + "' WHERE cartodb_id = 1");
            HttpResponse<byte[]> after = getBytes(url);
            assertThat(after.statusCode()).isEqualTo(200);
            assertThat(MvtReader.layers(after.body()).get("layer0").values()).contains("cut" + round);
        }
        String key = regularKey("feed-cut");
        String keyUrl = anonymousTile(key) + key;
        cachedTile(keyUrl);
        String role = MapsTestSupport.adminValue("SELECT db_role FROM tessera.api_keys WHERE token = '" + key + "'");
        admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name LIKE 'tessera-feed%'",
                "REVOKE SELECT ON " + schema + ".shared FROM \"" + role + "\"");
        assertThat(getBytes(keyUrl).statusCode()).isEqualTo(403);
        // and the feed comes back by itself (later tests want their rounds)
        ChangeFeed feed = TestPostgis.platform().changeFeed();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (feed.awaitRound() == null && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(feed.awaitRound()).isNotNull();
    }
}
