package io.tessera.it.maps;

import static io.tessera.it.maps.MapsTestSupport.admin;
import static io.tessera.it.maps.MapsTestSupport.cachedTile;
import static io.tessera.it.maps.MapsTestSupport.getBytes;
import static io.tessera.it.maps.MapsTestSupport.json;
import static io.tessera.it.maps.MapsTestSupport.mapUrl;
import static io.tessera.it.maps.MapsTestSupport.postJson;
import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.client.sql.SqlClient;
import io.tessera.it.TesseraHarness;
import io.tessera.server.auth.Accounts;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A cached tile is served without a query of its own only while nothing it rests on has moved: each test caches a
 * tile, changes something behind the server's back (the admin connection, as another node or client would) or
 * through SQL, and the very next request must see the change.
 */
class CachedTileRevocationTest {
    private static Accounts.Created dan;
    private static SqlClient master;

    @BeforeAll
    static void setUp() {
        dan = TesseraHarness.newUser("mapsrevoke");
        master = TesseraHarness.master(dan);
    }

    private static String table(String name) {
        MapsTestSupport.makePoints(dan, name);
        return "\"" + dan.user().schema() + "\"." + name;
    }

    private static String pub() {
        return "\"" + dan.user().publicRole() + "\"";
    }

    /** Instantiates {@code sql} for {@code key} (null: default_public) and returns the URL of tile 0/0/0. */
    private static String tile(String sql, String key) throws Exception {
        String q = key == null ? "" : "?api_key=" + key;
        HttpResponse<String> r = postJson(mapUrl(dan, q), "{\"layers\":[{\"options\":{\"sql\":\"" + sql + "\"}}]}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return mapUrl(dan, "/" + json(r).get("layergroupid").asText() + "/0/0/0.mvt" + q);
    }

    private static MvtReader.Layer layer(HttpResponse<byte[]> r) {
        assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(200);
        return MvtReader.layers(r.body()).get("layer0");
    }

    @Test
    void aWriteOnAnotherConnectionChangesTheNextTile() throws Exception {
        String t = table("direct");
        String url = tile("select * from direct", dan.masterKey());
        assertThat(layer(cachedTile(url)).values()).contains("a");
        admin("UPDATE " + t + " SET name = 'zz' WHERE name = 'a'");
        assertThat(layer(getBytes(url)).values()).contains("zz").doesNotContain("a");
    }

    @Test
    void revokingSelectFromTheDrawingRoleRefusesTheCachedTile() throws Exception {
        String t = table("revoked");
        admin("GRANT SELECT ON " + t + " TO " + pub());
        String url = tile("select * from revoked", null);
        cachedTile(url);
        admin("REVOKE SELECT ON " + t + " FROM " + pub());
        assertThat(getBytes(url).statusCode()).isEqualTo(403);
    }

    @Test
    void rowLevelSecurityAppliesToTheNextTile() throws Exception {
        String t = table("policed");
        admin("GRANT SELECT ON " + t + " TO " + pub());
        String url = tile("select * from policed", null);
        assertThat(layer(cachedTile(url)).features()).isEqualTo(3);
        admin("ALTER TABLE " + t + " ENABLE ROW LEVEL SECURITY",
                "CREATE POLICY only_b ON " + t + " FOR SELECT TO " + pub() + " USING (name = 'b')");
        assertThat(layer(getBytes(url)).features()).isEqualTo(1);
        assertThat(layer(getBytes(url)).features()).isEqualTo(1);
    }

    @Test
    void losingTheRoleMembershipThatGaveAccessRefusesTheCachedTile() throws Exception {
        String t = table("grouped");
        String group = "\"tessera_test_grp_" + ProcessHandle.current().pid() + "\"";
        admin("CREATE ROLE " + group + " NOLOGIN", "GRANT SELECT ON " + t + " TO " + group, "GRANT " + group + " TO " + pub());
        try {
            String url = tile("select * from grouped", null);
            cachedTile(url);
            admin("REVOKE " + group + " FROM " + pub()); // no event trigger fires for this
            assertThat(getBytes(url).statusCode()).isEqualTo(403);
            admin("GRANT " + group + " TO " + pub());
            cachedTile(url);
        } finally {
            admin("DROP OWNED BY " + group, "DROP ROLE " + group);
        }
    }

    @Test
    void redefiningAFunctionTheLayerCallsRedrawsTheTile() throws Exception {
        table("labelled");
        master.send("CREATE FUNCTION shout(t text) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT upper(t) $$");
        String url = tile("select cartodb_id, the_geom_webmercator, shout(name) AS label from labelled", dan.masterKey());
        assertThat(layer(cachedTile(url)).values()).contains("A");
        master.send("CREATE OR REPLACE FUNCTION shout(t text) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT t || '!' $$");
        assertThat(layer(getBytes(url)).values()).contains("a!").doesNotContain("A");
    }

    @Test
    void redefiningAViewRedrawsTheTile() throws Exception {
        table("viewed");
        master.send("CREATE VIEW only_a AS SELECT * FROM viewed WHERE name = 'a'");
        String url = tile("select * from only_a", dan.masterKey());
        assertThat(layer(cachedTile(url)).features()).isEqualTo(1);
        master.send("CREATE OR REPLACE VIEW only_a AS SELECT * FROM viewed WHERE name <> 'a'");
        assertThat(layer(getBytes(url)).features()).isEqualTo(2);
    }

    @Test
    void rewritingAColumnWithoutFiringTriggersRedrawsTheTile() throws Exception {
        String t = table("rewritten");
        String url = tile("select * from rewritten", dan.masterKey());
        assertThat(layer(cachedTile(url)).values()).doesNotContain("n=10");
        admin("ALTER TABLE " + t + " ALTER COLUMN n TYPE text USING 'n=' || (n * 10)");
        assertThat(layer(getBytes(url)).values()).contains("n=10");
    }
}
