package io.tessera.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.client.CartoException;
import io.tessera.client.sql.SqlClient;
import io.tessera.server.auth.Accounts;
import org.junit.jupiter.api.Test;

/**
 * Decisions, security 4: a connection goes back to its pool only after the transaction ended and DISCARD ALL ran
 * (now in one round trip with the COMMIT). Whatever session state a request leaves — settings, temp tables,
 * prepared statements, advisory locks, LISTEN, an open transaction — the next request on the same backend
 * finds none of it, and what the request committed stays committed.
 */
class SessionResetTest {
    private static final String PROBE = "SELECT pg_backend_pid() AS pid, current_setting('work_mem') AS work_mem,"
            + " (SELECT count(*) FROM pg_prepared_statements WHERE name = 'leaky') AS prepared,"
            + " (SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()) AS locks,"
            + " to_regclass('pg_temp.leaky') IS NULL AS no_temp, (SELECT count(*) FROM pg_listening_channels()) AS listening,"
            + " (SELECT count(*) FROM kept) AS kept";

    @Test
    void nothingAStatementLeftReachesTheNextRequest() {
        Accounts.Created user = TesseraHarness.newUser("reset");
        SqlClient sql = TesseraHarness.master(user);
        sql.send("CREATE TABLE kept (x int)");
        boolean sameBackendSeen = false;
        for (int round = 0; round < 4; round++) {
            JsonNode dirty = sql.send("INSERT INTO kept VALUES (" + round + "); SET work_mem = '77MB';"
                    + " CREATE TEMP TABLE leaky (x int); PREPARE leaky AS SELECT 1; SELECT pg_advisory_lock(4242);"
                    + " LISTEN leaky; SELECT pg_backend_pid() AS pid");
            JsonNode rows = dirty.get("rows"); // every statement's rows: the advisory lock's, then the pid
            int dirtyPid = rows.get(rows.size() - 1).get("pid").asInt();
            for (int i = 0; i < 3; i++) {
                JsonNode row = sql.send(PROBE).get("rows").get(0);
                sameBackendSeen |= row.get("pid").asInt() == dirtyPid;
                assertThat(row.get("work_mem").asText()).isNotEqualTo("77MB");
                assertThat(row.get("prepared").asInt()).isZero();
                assertThat(row.get("locks").asInt()).isZero();
                assertThat(row.get("no_temp").asBoolean()).isTrue();
                assertThat(row.get("listening").asInt()).isZero();
                assertThat(row.get("kept").asInt()).isEqualTo(round + 1);
            }
        }
        assertThat(sameBackendSeen).as("a later request ran on the backend the dirty one used").isTrue();
    }

    @Test
    void aTransactionTheScriptLeftOpenIsRolledBackAndTheErrorCaseToo() {
        Accounts.Created user = TesseraHarness.newUser("reset2");
        SqlClient sql = TesseraHarness.master(user);
        sql.send("CREATE TABLE t (x int)");
        // A script that fails after a SET and a write: nothing of it survives, and the next request is clean.
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> sql.send("SET work_mem = '66MB'; INSERT INTO t VALUES (1); SELECT 1/0"))
                .isInstanceOf(CartoException.class);
        JsonNode row = sql.send("SELECT (SELECT count(*) FROM t) AS n, current_setting('work_mem') AS w").get("rows").get(0);
        assertThat(row.get("n").asInt()).isZero();
        assertThat(row.get("w").asText()).isNotEqualTo("66MB");
        // The script's own COMMIT ends its transaction; what follows it is committed by the request's end.
        sql.send("BEGIN; INSERT INTO t VALUES (2); COMMIT; INSERT INTO t VALUES (3)");
        assertThat(sql.send("SELECT count(*) AS n FROM t").get("rows").get(0).get("n").asInt()).isEqualTo(2);
    }
}
