package io.tessera.it.maps;

import static io.tessera.it.maps.MapsTestSupport.getBytes;
import static io.tessera.it.maps.MapsTestSupport.json;
import static io.tessera.it.maps.MapsTestSupport.mapUrl;
import static io.tessera.it.maps.MapsTestSupport.postJson;
import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.client.sql.SqlClient;
import io.tessera.it.TesseraHarness;
import io.tessera.server.auth.Accounts;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Who sees which tile, and when: privacy cycles through the public role's grant, the tile cache never
 * hands a master-drawn tile to default_public, and a data change through the SQL API shows in the next tile.
 */
class TileFreshnessTest {
    private static final String CONFIG = "{\"layers\":[{\"options\":{\"sql\":\"select * from %s\"}}]}";
    private static Accounts.Created bob;
    private static SqlClient master;

    @BeforeAll
    static void setUp() {
        bob = TesseraHarness.newUser("mapsfresh");
        master = TesseraHarness.master(bob);
        MapsTestSupport.makePoints(bob, "cycle");
        MapsTestSupport.makePoints(bob, "secret");
        MapsTestSupport.makePoints(bob, "moving");
    }

    private static String instantiate(String table, String key) throws Exception {
        HttpResponse<String> r = postJson(mapUrl(bob, key == null ? "" : "?api_key=" + key), CONFIG.formatted(table));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json(r).get("layergroupid").asText();
    }

    private static void setPublic(String table, boolean visible) {
        master.send((visible ? "GRANT SELECT ON " + table + " TO " : "REVOKE SELECT ON " + table + " FROM ")
                + "\"" + bob.user().publicRole() + "\"");
    }

    @Test
    void privacyCycleThroughTilesOfADefaultPublicMap() throws Exception {
        // Private: default_public cannot even instantiate a map of it.
        HttpResponse<String> refused = postJson(mapUrl(bob, ""), CONFIG.formatted("cycle"));
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(json(refused).at("/errors/0").asText()).contains("permission denied");
        setPublic("cycle", true);
        String lgid = instantiate("cycle", null);
        String tile = mapUrl(bob, "/" + lgid + "/0/0/0.mvt");
        HttpResponse<byte[]> open = getBytes(tile);
        assertThat(open.statusCode()).isEqualTo(200);
        assertThat(MvtReader.layers(open.body()).get("layer0").features()).isEqualTo(3);
        for (int round = 0; round < 2; round++) {
            setPublic("cycle", false);
            HttpResponse<byte[]> closed = getBytes(tile);
            assertThat(closed.statusCode()).as("round %d, private", round).isEqualTo(403);
            assertThat(new String(closed.body(), StandardCharsets.UTF_8)).contains("permission denied");
            setPublic("cycle", true);
            HttpResponse<byte[]> reopened = getBytes(tile);
            assertThat(reopened.statusCode()).as("round %d, public", round).isEqualTo(200);
            assertThat(reopened.body()).isEqualTo(open.body());
        }
    }

    @Test
    void aTileDrawnForTheMasterKeyIsNeverServedToDefaultPublic() throws Exception {
        String lgid = instantiate("secret", bob.masterKey());
        String tile = mapUrl(bob, "/" + lgid + "/0/0/0.mvt");
        HttpResponse<byte[]> forMaster = getBytes(tile + "?api_key=" + bob.masterKey());
        assertThat(forMaster.statusCode()).isEqualTo(200);
        assertThat(getBytes(tile + "?api_key=" + bob.masterKey()).body()).isEqualTo(forMaster.body()); // now cached
        HttpResponse<byte[]> forPublic = getBytes(tile);
        assertThat(forPublic.statusCode()).isEqualTo(403);
        HttpResponse<byte[]> explicitPublic = getBytes(tile + "?api_key=default_public",
                "If-None-Match", forMaster.headers().firstValue("ETag").orElseThrow());
        assertThat(explicitPublic.statusCode()).isEqualTo(403);
    }

    @Test
    void anUpdateThroughTheSqlApiChangesTheNextTile() throws Exception {
        String lgid = instantiate("moving", bob.masterKey());
        String tile = mapUrl(bob, "/" + lgid + "/0/0/0.mvt?api_key=" + bob.masterKey());
        HttpResponse<byte[]> before = getBytes(tile);
        assertThat(MvtReader.layers(before.body()).get("layer0").values()).contains("a");
        assertThat(getBytes(tile).body()).isEqualTo(before.body()); // served again, from the cache
        master.send("UPDATE moving SET name = 'renamed' WHERE name = 'a'");
        HttpResponse<byte[]> after = getBytes(tile, "If-None-Match", before.headers().firstValue("ETag").orElseThrow());
        assertThat(after.statusCode()).isEqualTo(200);
        assertThat(MvtReader.layers(after.body()).get("layer0").values()).contains("renamed").doesNotContain("a");
        assertThat(after.headers().firstValue("ETag")).isNotEqualTo(before.headers().firstValue("ETag"));
        // the URL's cache buster is now old: no year-long caching for it
        assertThat(after.headers().firstValue("Cache-Control").orElse("")).doesNotContain("31536000");
        master.send("DELETE FROM moving");
        assertThat(getBytes(tile).statusCode()).isEqualTo(204);
    }

    @Test
    void untrackedTablesAreDrawnFreshEveryTime() throws Exception {
        master.send("CREATE TABLE plain_pts AS SELECT 'x'::text AS name, ST_Transform(ST_SetSRID(ST_MakePoint(1, 1), 4326), 3857)"
                + " AS the_geom_webmercator");
        String lgid = instantiate("plain_pts", bob.masterKey());
        assertThat(lgid).endsWith(":0");
        String tile = mapUrl(bob, "/" + lgid + "/0/0/0.mvt?api_key=" + bob.masterKey());
        HttpResponse<byte[]> before = getBytes(tile);
        assertThat(before.headers().firstValue("Cache-Control").orElse("")).doesNotContain("31536000");
        master.send("UPDATE plain_pts SET name = 'y'");
        assertThat(MvtReader.layers(getBytes(tile).body()).get("layer0").values()).contains("y");
    }
}
