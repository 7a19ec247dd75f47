package io.tessera.it.forked;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.client.auth.ApiKeyAuthClient;
import io.tessera.client.sql.BatchSqlClient;
import io.tessera.server.auth.Accounts;
import io.tessera.server.config.TesseraConfig;
import io.tessera.server.db.DatabaseEndpoint;
import io.tessera.server.db.RoleConnection;
import io.tessera.server.db.Secrets;
import io.tessera.server.testing.Await;
import io.tessera.server.testing.TestPostgis;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Batch jobs survive their server: servers run as their own JVMs against the shared fixture database (as extra
 * nodes: {@code TESSERA_DATABASE_URL} + {@code TESSERA_SECRET}). A server killed with SIGKILL mid-job leaves a job
 * that the next server fails (after terminating its query); two servers on one database run every job exactly once.
 */
@Timeout(300)
class JobDurabilityTest {

    private static ForkedServer.Launch node(Path home, int leaseMs) throws Exception {
        TesseraConfig fixture = TestPostgis.config();
        DatabaseEndpoint db = TestPostgis.platform().endpoint();
        String secret = fixture.externalDatabase().isPresent() ? fixture.serverSecret()
                : Secrets.loadOrCreate(fixture.home().resolve("secrets.properties")).serverSecret();
        String url = "postgresql://" + enc(db.adminUser()) + ":" + enc(db.adminPassword()) + "@" + db.host() + ":"
                + db.port() + "/" + db.database();
        return ForkedServer.Launch.of(home)
                .withEnv("TESSERA_DATABASE_URL", url)
                .withEnv("TESSERA_SECRET", secret)
                .withEnv("TESSERA_DEMO", "false")
                .withEnv("TESSERA_JOB_LEASE_MS", Integer.toString(leaseMs));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static BatchSqlClient batch(ForkedServer server, Accounts.Created u) {
        return new BatchSqlClient(new ApiKeyAuthClient("http://127.0.0.1:" + server.port() + "/user/"
                + u.user().username() + "/", u.masterKey()));
    }

    private static boolean queryRunning(String marker) {
        try (Connection c = TestPostgis.platform().admin().dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE query LIKE ? AND pid <> pg_backend_pid()")) {
            ps.setString(1, "%" + marker + "%");
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1) > 0;
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aJobWhoseServerWasKilledEndsFailedAndItsQueryStops() throws Exception {
        Accounts.Created u = TestPostgis.newUser("durable");
        Path dir = ForkedServer.tempDir("tessera-jobs-kill-");
        String marker = "killed-server-job-" + u.user().id();
        String id;
        try (ForkedServer first = ForkedServer.start(node(dir.resolve("a"), 1500))) {
            BatchSqlClient b = batch(first, u);
            id = b.create("SELECT pg_sleep(600) /* " + marker + " */").path("job_id").asText();
            Await.until("the job's query runs", () -> queryRunning(marker));
            first.kill();
            assertThat(first.process().isAlive()).isFalse();
            // The server is gone but PostgreSQL still runs its statement, and the job still says running.
            assertThat(queryRunning(marker)).isTrue();
        }
        try (ForkedServer second = ForkedServer.start(node(dir.resolve("b"), 1500))) {
            BatchSqlClient b = batch(second, u);
            assertThat(b.read(id).path("status").asText()).isIn("running", "failed");
            Await.until("the job fails", () -> b.read(id).path("status").asText().equals("failed"));
            JsonNode job = b.read(id);
            assertThat(job.path("failed_reason").asText()).isEqualTo("the server running this job stopped before it ended");
            assertThat(queryRunning(marker)).isFalse();
            // The same user's next job runs: the lane is free again.
            assertThat(b.createAndWaitForCompletion("SELECT 1").path("status").asText()).isEqualTo("done");
        } finally {
            ForkedServer.deleteTree(dir);
        }
    }

    @Test
    void twoServersOnOneDatabaseRunEveryJobExactlyOnce() throws Exception {
        List<Accounts.Created> users = List.of(TestPostgis.newUser("twonodes"), TestPostgis.newUser("twonodes"),
                TestPostgis.newUser("twonodes"));
        for (Accounts.Created u : users) {
            try (RoleConnection c = TestPostgis.platform().pools().connect(u.user().ownerRole());
                 Statement s = c.jdbc().createStatement()) {
                s.execute("CREATE TABLE counter (n int); INSERT INTO counter VALUES (0); CREATE TABLE runs (at timestamptz)");
            }
        }
        Path dir = ForkedServer.tempDir("tessera-jobs-two-");
        int perUser = 12;
        List<String> ids = new ArrayList<>();
        try (ForkedServer a = ForkedServer.start(node(dir.resolve("a"), 5000));
             ForkedServer b = ForkedServer.start(node(dir.resolve("b"), 5000))) {
            for (int i = 0; i < perUser; i++) {
                for (Accounts.Created u : users) {
                    BatchSqlClient via = batch(i % 2 == 0 ? a : b, u);
                    ids.add(via.create("UPDATE counter SET n = n + 1; INSERT INTO runs VALUES (clock_timestamp())")
                            .path("job_id").asText());
                }
            }
            for (String id : ids) {
                Accounts.Created owner = users.get(ids.indexOf(id) % users.size());
                JsonNode job = batch(a, owner).waitForCompletion(id, Duration.ofMillis(100));
                assertThat(job.path("status").asText()).isEqualTo("done");
            }
        } finally {
            ForkedServer.deleteTree(dir);
        }
        for (Accounts.Created u : users) {
            try (RoleConnection c = TestPostgis.platform().pools().connect(u.user().ownerRole());
                 Statement s = c.jdbc().createStatement();
                 ResultSet rs = s.executeQuery("SELECT (SELECT n FROM counter), (SELECT count(*) FROM runs)")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(perUser);
                assertThat(rs.getInt(2)).isEqualTo(perUser);
            }
        }
        // More than one node took part (the lease owner names the node that ran each job). The test JVM's own
        // server, started by other tests on the same database, may be a third node: exactly-once still holds.
        Set<String> nodes = new java.util.HashSet<>();
        try (Connection c = TestPostgis.platform().admin().dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT split_part(lease_owner, '/', 1) FROM tessera.jobs WHERE id = ANY (?::uuid[])")) {
            ps.setArray(1, c.createArrayOf("text", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    nodes.add(rs.getString(1));
                }
            }
        }
        assertThat(nodes.size()).isGreaterThanOrEqualTo(2);
    }
}
