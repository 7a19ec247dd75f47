package io.tessera.server.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.server.auth.Accounts;
import io.tessera.server.db.Platform;
import io.tessera.server.http.Json;
import io.tessera.server.testing.Await;
import io.tessera.server.testing.TestPostgis;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The jobs mechanism against the real PostGIS fixture, with a kind that runs the SQL in its payload. */
class JobWorkersTest {
    private static final JobSettings FAST = new JobSettings(4, Duration.ofMillis(900), Duration.ofMillis(50));
    private final Platform platform = TestPostgis.platform();

    /** Runs {@code payload.sql} statements in order as the job's role; counts runs in {@code state.runs}. */
    static final class SqlKind implements JobKind {
        private final String name;

        SqlKind(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public JobResult run(JobContext ctx) throws Exception {
            for (JsonNode sql : ctx.payload().get("sql")) {
                if (ctx.cancelRequested()) {
                    break;
                }
                try (JobConnection c = ctx.connect(); Statement s = c.jdbc().createStatement()) {
                    s.execute(sql.asText());
                }
            }
            return JobResult.done(Json.object().put("ran", true));
        }

        @Override
        public JsonNode abandonedState(Job job, String reason) {
            return Json.object().put("abandoned", reason);
        }
    }

    private static String kindName() {
        return "test-" + UUID.randomUUID();
    }

    private JobStore.NewJob job(String kind, Accounts.Created u, String lane, String... sql) {
        var payload = Json.object();
        var arr = payload.putArray("sql");
        for (String s : sql) {
            arr.add(s);
        }
        return new JobStore.NewJob(kind, u.user().id(), lane, u.user().ownerRole(), payload, null, 0);
    }

    private Job read(JobStore store, UUID id) {
        try {
            return store.find(id).orElseThrow();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private boolean queryRunning(String marker) {
        try (Connection c = platform.admin().dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE query LIKE ? AND pid <> pg_backend_pid()")) {
            ps.setString(1, "%" + marker + "%");
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1) > 0;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void runsAJobAsItsRoleAndStoresTheOutcome() throws Exception {
        Accounts.Created u = TestPostgis.newUser("jobs");
        String kind = kindName();
        try (JobWorkers w = new JobWorkers(platform, FAST, List.of(new SqlKind(kind))).start()) {
            Job ok = w.store().submit(job(kind, u, "l", "CREATE TABLE t AS SELECT current_user AS who"));
            Job bad = w.store().submit(job(kind, u, "l", "SELECT * FROM no_such_table"));
            w.wake();
            Await.until("both end", () -> read(w.store(), bad.id()).status().isFinal() && read(w.store(), ok.id()).status().isFinal());
            Job done = read(w.store(), ok.id());
            assertThat(done.status()).isEqualTo(JobStatus.DONE);
            assertThat(done.state().get("ran").asBoolean()).isTrue();
            assertThat(done.startedAt()).isNotNull();
            assertThat(done.endedAt()).isNotNull();
            Job failed = read(w.store(), bad.id());
            assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
            assertThat(failed.failedReason()).contains("no_such_table");
        }
        try (var c = platform.pools().connect(u.user().ownerRole()); Statement s = c.jdbc().createStatement();
             ResultSet rs = s.executeQuery("SELECT who FROM t")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo(u.user().ownerRole());
        }
    }

    @Test
    void oneLaneRunsInOrderOneAtATimeWhileOtherLanesRun() throws Exception {
        Accounts.Created u = TestPostgis.newUser("jobs");
        String kind = kindName();
        try (JobWorkers w = new JobWorkers(platform, FAST, List.of(new SqlKind(kind))).start()) {
            try (var c = platform.pools().connect(u.user().ownerRole()); Statement s = c.jdbc().createStatement()) {
                s.execute("CREATE TABLE log (n int, at timestamptz default clock_timestamp())");
            }
            Job first = w.store().submit(job(kind, u, "a", "SELECT pg_sleep(60) /* lane-a-first */"));
            Job second = w.store().submit(job(kind, u, "a", "INSERT INTO log (n) VALUES (2)"));
            Job other = w.store().submit(job(kind, u, "b", "INSERT INTO log (n) VALUES (3)"));
            w.wake();
            Await.until("the other lane's job ends", () -> read(w.store(), other.id()).status() == JobStatus.DONE);
            assertThat(read(w.store(), first.id()).status()).isEqualTo(JobStatus.RUNNING);
            assertThat(read(w.store(), second.id()).status()).isEqualTo(JobStatus.PENDING);

            w.store().cancel(first.id());
            Await.until("the lane moves on", () -> read(w.store(), second.id()).status() == JobStatus.DONE);
            Job cancelled = read(w.store(), first.id());
            assertThat(cancelled.status()).isEqualTo(JobStatus.CANCELLED);
            assertThat(queryRunning("lane-a-first")).isFalse();
            assertThatThrownBy(() -> w.store().cancel(first.id()))
                    .isInstanceOf(JobException.IllegalTransition.class)
                    .hasMessage("Cannot set status from cancelled to cancelled");
            assertThatThrownBy(() -> w.store().cancel(second.id()))
                    .hasMessage("Cannot set status from done to cancelled");
        }
    }

    @Test
    void aCancelledPendingJobNeverRunsAndOnlyPendingJobsChange() throws Exception {
        Accounts.Created u = TestPostgis.newUser("jobs");
        String kind = kindName();
        JobStore store = new JobStore(platform.admin().dataSource());
        Job pending = store.submit(job(kind, u, "l", "CREATE TABLE never_made (a int)"));
        Job updated = store.updatePending(pending.id(), Json.object().set("sql", Json.MAPPER.createArrayNode().add("CREATE TABLE made (a int)")), null);
        assertThat(updated.payload().get("sql").get(0).asText()).contains("made");
        Job cancelled = store.cancel(pending.id());
        assertThat(cancelled.status()).isEqualTo(JobStatus.CANCELLED);
        assertThatThrownBy(() -> store.updatePending(pending.id(), Json.object(), null))
                .hasMessage("Cannot set status from cancelled to pending");
        Job later = store.submit(job(kind, u, "l", "CREATE TABLE after_cancel (a int)"));
        try (JobWorkers w = new JobWorkers(platform, FAST, List.of(new SqlKind(kind))).start()) {
            Await.until("the next job ends", () -> read(store, later.id()).status() == JobStatus.DONE);
        }
        assertThat(read(store, pending.id()).startedAt()).isNull();
        assertThatThrownBy(() -> store.cancel(UUID.randomUUID())).isInstanceOf(JobException.NotFound.class);
    }

    @Test
    void aQueueHoldsAtMostTheConfiguredPendingJobs() throws Exception {
        Accounts.Created u = TestPostgis.newUser("jobs");
        JobStore store = new JobStore(platform.admin().dataSource());
        String kind = kindName();
        JobStore.NewJob n = job(kind, u, "full", "SELECT 1");
        JobStore.NewJob limited = new JobStore.NewJob(n.kind(), n.userId(), n.lane(), n.dbRole(), n.payload(), null, 2);
        store.submit(limited);
        store.submit(limited);
        assertThatThrownBy(() -> store.submit(limited)).isInstanceOf(JobException.QueueFull.class);
        assertThat(store.list(u.user().id(), kind, 10)).hasSize(2);
    }

    @Test
    void aLapsedLeaseTerminatesTheRecordedBackendBeforeTheJobFails() throws Exception {
        Accounts.Created u = TestPostgis.newUser("jobs");
        String kind = kindName();
        JobStore store = new JobStore(platform.admin().dataSource());
        Job job = store.submit(job(kind, u, "l", "unused"));
        // A "node" that claims the job, starts its SQL and then stops heartbeating (as if killed).
        JobLeases dead = new JobLeases(platform.admin().dataSource(), Duration.ofMillis(300));
        String owner = "dead-node/" + UUID.randomUUID();
        assertThat(dead.claim(List.of(kind), owner)).isPresent();
        JobContext ctx = new JobContext(read(store, job.id()), owner, dead, platform.pools());
        JobConnection conn = ctx.connect();
        Thread sql = new Thread(() -> {
            try (Statement s = conn.jdbc().createStatement()) {
                s.execute("SELECT pg_sleep(120) /* lapsed-lease-job */");
            } catch (SQLException expected) {
                // terminated by the reaper
            }
        });
        sql.start();
        Await.until("the job's SQL runs", () -> queryRunning("lapsed-lease-job"));

        try (JobWorkers w = new JobWorkers(platform, FAST, List.of(new SqlKind(kind))).start()) {
            Await.until("the job fails", () -> read(store, job.id()).status() == JobStatus.FAILED);
        }
        Job failed = read(store, job.id());
        assertThat(failed.failedReason()).isEqualTo(JobWorkers.LEASE_LAPSED);
        assertThat(failed.state().get("abandoned").asText()).isEqualTo(JobWorkers.LEASE_LAPSED);
        assertThat(queryRunning("lapsed-lease-job")).isFalse();
        sql.join(30_000);
        conn.role().markBroken();
        conn.close();
        // The dead node's late outcome is fenced off.
        assertThat(dead.finish(job.id(), owner, JobResult.done(null))).isFalse();
        assertThat(read(store, job.id()).status()).isEqualTo(JobStatus.FAILED);
    }

    @Test
    void twoNodesRunEveryJobExactlyOnce() throws Exception {
        Accounts.Created u = TestPostgis.newUser("jobs");
        String kind = kindName();
        JobStore store = new JobStore(platform.admin().dataSource());
        try (var c = platform.pools().connect(u.user().ownerRole()); Statement s = c.jdbc().createStatement()) {
            s.execute("CREATE TABLE counter (n int); INSERT INTO counter VALUES (0); CREATE TABLE runs (job int)");
        }
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            ids.add(store.submit(job(kind, u, "lane-" + (i % 5),
                    "UPDATE counter SET n = n + 1; INSERT INTO runs VALUES (" + i + ")")).id());
        }
        try (JobWorkers a = new JobWorkers(platform, FAST, List.of(new SqlKind(kind))).start();
             JobWorkers b = new JobWorkers(platform, FAST, List.of(new SqlKind(kind))).start()) {
            Await.until("all end", () -> ids.stream().allMatch(id -> read(store, id).status() == JobStatus.DONE));
        }
        try (var c = platform.pools().connect(u.user().ownerRole()); Statement s = c.jdbc().createStatement();
             ResultSet rs = s.executeQuery("SELECT (SELECT n FROM counter), count(*), count(DISTINCT job) FROM runs")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(40);
            assertThat(rs.getInt(2)).isEqualTo(40);
            assertThat(rs.getInt(3)).isEqualTo(40);
        }
    }
}
