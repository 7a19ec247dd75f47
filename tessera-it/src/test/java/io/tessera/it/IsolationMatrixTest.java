package io.tessera.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.client.CartoException;
import io.tessera.client.sql.SqlClient;
import io.tessera.server.auth.Accounts;
import io.tessera.server.testing.TestPostgis;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The tenant isolation matrix: keys master / default_public / wrong / none × own PUBLIC table, own
 * PRIVATE table and another user's table; exactly the allowed cells read rows. Plus what a master key
 * of A can learn of B (names in the shared catalog, never rows), and SQL that tries to escalate.
 */
class IsolationMatrixTest {
    private static Accounts.Created a;
    private static Accounts.Created b;

    @BeforeAll
    static void setUp() {
        a = TesseraHarness.newUser("iso-a");
        b = TesseraHarness.newUser("iso-b");
        for (Accounts.Created u : new Accounts.Created[] {a, b}) {
            TesseraHarness.master(u).send("CREATE TABLE pub_t AS SELECT 1 AS v; CREATE TABLE priv_t AS SELECT 2 AS v;"
                    + "GRANT SELECT ON pub_t TO \"" + u.user().publicRole() + "\"");
        }
    }

    private enum Key { MASTER, DEFAULT_PUBLIC, WRONG, NONE }

    private static SqlClient client(Key k) {
        return switch (k) {
            case MASTER -> TesseraHarness.master(a);
            case DEFAULT_PUBLIC -> TesseraHarness.sql(a, "default_public");
            case WRONG -> TesseraHarness.sql(a, "not-a-key");
            case NONE -> TesseraHarness.anonymous(a);
        };
    }

    @Test
    void exactlyTheAllowedCellsAreReadable() {
        String otherSchema = "\"" + b.user().schema() + "\"";
        for (Key k : Key.values()) {
            SqlClient c = client(k);
            boolean valid = k != Key.WRONG;
            assertReadable(k + " own public", () -> c.send("SELECT v FROM pub_t"), valid, 401);
            assertReadable(k + " own private", () -> c.send("SELECT v FROM priv_t"), k == Key.MASTER, valid ? 403 : 401);
            assertReadable(k + " other's public", () -> c.send("SELECT v FROM " + otherSchema + ".pub_t"), false, valid ? 403 : 401);
            assertReadable(k + " other's private", () -> c.send("SELECT v FROM " + otherSchema + ".priv_t"), false, valid ? 403 : 401);
        }
    }

    private static void assertReadable(String cell, Supplier<JsonNode> call, boolean allowed, int deniedStatus) {
        if (allowed) {
            assertThat(call.get().get("rows").size()).as(cell).isEqualTo(1);
        } else {
            Throwable t = catchThrowable(call::get);
            assertThat(t).as(cell).isInstanceOf(CartoException.class);
            assertThat(((CartoException) t).status()).as(cell).isEqualTo(deniedStatus);
        }
    }

    @Test
    void masterOfACanSeeNamesOfBInTheCatalogButNeverRows() {
        SqlClient ma = TesseraHarness.master(a);
        // Recorded, as decided: one shared database, so the catalog shows other tenants' table names.
        JsonNode names = ma.send("SELECT relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE nspname = '"
                + b.user().schema() + "' AND relkind = 'r' ORDER BY relname");
        assertThat(names.get("rows").toString()).contains("priv_t", "pub_t");
        // …but no rows, by any route.
        String s = "\"" + b.user().schema() + "\"";
        for (String q : new String[] {"SELECT * FROM " + s + ".priv_t", "SELECT * FROM " + s + ".pub_t",
            "COPY " + s + ".priv_t TO STDOUT", "SELECT reltuples FROM pg_class WHERE false",
            "SET ROLE \"" + b.user().ownerRole() + "\"", "SET ROLE \"" + b.user().publicRole() + "\"",
            "SELECT * FROM pg_stats WHERE schemaname = '" + b.user().schema() + "' AND n_distinct IS NOT NULL AND most_common_vals IS NOT NULL"}) {
            Throwable t = catchThrowable(() -> {
                JsonNode r = ma.send(q);
                assertThat(r.get("rows").size()).as(q).isZero();
            });
            if (t != null && !(t instanceof AssertionError)) {
                assertThat(((CartoException) t).status()).as(q).isIn(400, 403);
            } else if (t != null) {
                throw (AssertionError) t;
            }
        }
    }

    @Test
    void sqlCannotEscalateOrBreakTheNextRequest() {
        SqlClient pub = TesseraHarness.sql(a, "default_public");
        String owner = "\"" + a.user().ownerRole() + "\"";
        for (String q : new String[] {"RESET ROLE; SELECT v FROM priv_t", "SET ROLE " + owner + "; SELECT v FROM priv_t",
            "SET SESSION AUTHORIZATION " + owner + "; SELECT v FROM priv_t"}) {
            Throwable t = catchThrowable(() -> pub.send(q));
            assertThat(t).as(q).isInstanceOf(CartoException.class);
            assertThat(((CartoException) t).status()).as(q).isEqualTo(403);
        }
        assertThat(pub.send("SELECT current_user AS u").get("rows").get(0).get("u").asText()).isEqualTo(a.user().publicRole());

        // A key changing its own role's password or settings: the next requests still work as before.
        Accounts.Created c = TesseraHarness.newUser("iso-c");
        SqlClient mc = TesseraHarness.master(c);
        mc.send("ALTER ROLE CURRENT_USER PASSWORD 'hijacked'");
        mc.send("ALTER ROLE CURRENT_USER SET statement_timeout = 0");
        mc.send("SET statement_timeout = 0; SET search_path = public");
        for (int i = 0; i < 8; i++) { // more than the pool holds: new connections must log in again
            JsonNode r = mc.send("SELECT current_user AS u, current_schema() AS s, current_setting('statement_timeout') AS t");
            assertThat(r.get("rows").get(0).get("u").asText()).isEqualTo(c.user().ownerRole());
            assertThat(r.get("rows").get(0).get("s").asText()).isEqualTo(c.user().schema());
            assertThat(r.get("rows").get(0).get("t").asText()).isNotEqualTo("0");
        }
    }

    @Test
    void roleSettingsChangedByObfuscatedSqlAreUndoneForNewConnections() {
        Accounts.Created d = TesseraHarness.newUser("iso-d");
        SqlClient md = TesseraHarness.master(d);
        md.send("CREATE TABLE w (id int)");
        // Not recognisable from the text: built at run time inside a DO block, and a comment between the words.
        md.send("DO $$BEGIN EXECUTE 'ALTER ' || 'ROLE CURRENT_USER SET default_transaction_read_only = on'; END$$");
        md.send("ALTER/**/ROLE CURRENT_USER IN DATABASE " + "\"" + TestPostgis.platform().endpoint().database() + "\"" + " SET search_path = nowhere");
        // Role defaults reach sessions that start later: force new connections.
        TestPostgis.platform().pools().closePool(d.user().ownerRole());
        JsonNode r = md.send("INSERT INTO w VALUES (1); SELECT current_schema() AS s, current_setting('default_transaction_read_only') AS ro");
        assertThat(r.get("rows").get(0).get("s").asText()).isEqualTo(d.user().schema());
        assertThat(r.get("rows").get(0).get("ro").asText()).isEqualTo("off");
    }

    @Test
    void manyFirstRequestsOfARoleAtOnceAllSucceed() throws Exception {
        // Each new connection checks its role's settings; the first checks of a role race each other.
        Accounts.Created e = TesseraHarness.newUser("iso-e");
        SqlClient me = TesseraHarness.master(e);
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(24)) {
            var results = new java.util.ArrayList<java.util.concurrent.Future<JsonNode>>();
            for (int i = 0; i < 48; i++) {
                results.add(pool.submit(() -> me.send("SELECT current_schema() AS s")));
            }
            for (var r : results) {
                assertThat(r.get().get("rows").get(0).get("s").asText()).isEqualTo(e.user().schema());
            }
        }
    }
}
