package io.tessera.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessera.client.CartoException;
import io.tessera.client.auth.ApiKeyAuthClient;
import io.tessera.client.sql.BatchSqlClient;
import io.tessera.client.sql.SqlClient;
import io.tessera.server.auth.Accounts;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Batch SQL API through the SDK and raw HTTP: shapes, states, fallbacks, cancel, limits, auth. */
class BatchApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration POLL = Duration.ofMillis(100);

    private static Accounts.Created newUser() {
        return TesseraHarness.newUser("batch");
    }

    private static BatchSqlClient batch(Accounts.Created u) {
        return new BatchSqlClient(new ApiKeyAuthClient(TesseraHarness.baseUrl(u.user().username()), u.masterKey()));
    }

    private static JsonNode awaitJob(BatchSqlClient b, String id, Predicate<JsonNode> until) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (true) {
            JsonNode job = b.read(id);
            if (until.test(job)) {
                return job;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("job never got there: " + job);
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    private static JsonNode awaitFinal(BatchSqlClient b, String id) throws InterruptedException {
        return awaitJob(b, id, j -> !List.of("pending", "running").contains(j.path("status").asText()));
    }

    private static HttpResponse<String> raw(String method, Accounts.Created u, String path, String key, String json) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(TesseraHarness.url("/user/" + u.user().username()
                + "/api/v2/sql/job" + path + (key == null ? "" : "?api_key=" + key))));
        r.header("Content-Type", "application/json");
        r.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        return TesseraHarness.send(r.build());
    }

    private static boolean running(SqlClient sql, String marker) {
        return sql.send("SELECT count(*) AS n FROM pg_stat_activity WHERE query LIKE '%" + marker + "%' AND pid <> pg_backend_pid()")
                .path("rows").get(0).path("n").asInt() > 0;
    }

    @BeforeAll
    static void start() {
        TesseraHarness.server();
    }

    @Test
    void aSimpleJobIsCreatedWith201AndRunsAsTheMasterRole() throws Exception {
        Accounts.Created u = newUser();
        HttpResponse<String> created = raw("POST", u, "/", u.masterKey(), "{\"query\":\"CREATE TABLE made AS SELECT current_user AS who\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode job = JSON.readTree(created.body());
        assertThat(job.path("status").asText()).isIn("pending", "running");
        assertThat(job.path("user").asText()).isEqualTo(u.user().username());
        assertThat(job.path("query").asText()).startsWith("CREATE TABLE made");
        assertThat(job.path("created_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        JsonNode done = awaitFinal(batch(u), job.path("job_id").asText());
        assertThat(done.path("status").asText()).isEqualTo("done");
        assertThat(done.has("failed_reason")).isFalse();
        JsonNode who = TesseraHarness.master(u).send("SELECT who FROM made");
        assertThat(who.path("rows").get(0).path("who").asText()).isEqualTo(u.user().ownerRole());
    }

    @Test
    void aFailingJobCarriesPostgresMessageAndWaitingRaisesIt() throws Exception {
        Accounts.Created u = newUser();
        BatchSqlClient b = batch(u);
        JsonNode failed = awaitFinal(b, b.create("SELECT * FROM nonexistent_table").path("job_id").asText());
        assertThat(failed.path("status").asText()).isEqualTo("failed");
        assertThat(failed.path("failed_reason").asText()).isEqualTo("relation \"nonexistent_table\" does not exist");
        assertThatThrownBy(() -> b.waitForCompletion(failed.path("job_id").asText(), POLL))
                .isInstanceOf(CartoException.class).hasMessageContaining("nonexistent_table");
        JsonNode ok = b.createAndWaitForCompletion("SELECT 1");
        assertThat(ok.path("status").asText()).isEqualTo("done");
    }

    @Test
    void multipleJobsStopAtTheFirstFailureAndKeepPerQueryStatus() throws Exception {
        Accounts.Created u = newUser();
        BatchSqlClient b = batch(u);
        JsonNode job = b.create(List.of("CREATE TABLE m (a int)", "INSERT INTO nope VALUES (1)", "INSERT INTO m VALUES (3)"));
        JsonNode end = awaitFinal(b, job.path("job_id").asText());
        assertThat(end.path("status").asText()).isEqualTo("failed");
        assertThat(end.path("failed_reason").asText()).isEqualTo("relation \"nope\" does not exist");
        JsonNode q = end.path("query");
        assertThat(q.get(0).path("status").asText()).isEqualTo("done");
        assertThat(q.get(1).path("status").asText()).isEqualTo("failed");
        assertThat(q.get(1).path("failed_reason").asText()).isEqualTo("relation \"nope\" does not exist");
        assertThat(q.get(2).path("status").asText()).isEqualTo("pending");
        assertThat(TesseraHarness.master(u).send("SELECT count(*) AS n FROM m").path("rows").get(0).path("n").asInt()).isZero();
    }

    @Test
    void fallbacksRunWithTheirTemplatesAndLaterElementsAreSkipped() throws Exception {
        Accounts.Created u = newUser();
        TesseraHarness.master(u).send("CREATE TABLE log (job text, msg text)");
        BatchSqlClient b = batch(u);
        JsonNode query = JSON.readTree("""
                {"query": [
                   {"query": "SELECT 1", "onerror": "INSERT INTO log VALUES ('never', 'x')"},
                   {"query": "SELECT * FROM missing_t", "onerror": "INSERT INTO log VALUES ('<%= job_id %>', '<%=error_message%>')"},
                   {"query": "SELECT 2", "onsuccess": "INSERT INTO log VALUES ('never', 'y')"}
                 ],
                 "onerror": "INSERT INTO log VALUES ('job', '<%= error_message %>')",
                 "onsuccess": "INSERT INTO log VALUES ('never', 'z')"}""");
        JsonNode job = b.create(query);
        assertThat(job.path("fallback_status").asText()).isEqualTo("pending");
        String id = job.path("job_id").asText();
        JsonNode end = awaitFinal(b, id);
        assertThat(end.path("status").asText()).isEqualTo("failed");
        assertThat(end.path("fallback_status").asText()).isEqualTo("done");
        JsonNode q = end.path("query").path("query");
        assertThat(q.get(0).path("status").asText()).isEqualTo("done");
        assertThat(q.get(0).path("fallback_status").asText()).isEqualTo("skipped");
        assertThat(q.get(1).path("status").asText()).isEqualTo("failed");
        assertThat(q.get(1).path("fallback_status").asText()).isEqualTo("done");
        assertThat(q.get(1).path("onerror").asText()).contains("<%= job_id %>");
        assertThat(q.get(1).has("started_at")).isTrue();
        assertThat(q.get(2).path("status").asText()).isEqualTo("skipped");
        assertThat(q.get(2).path("fallback_status").asText()).isEqualTo("skipped");
        JsonNode log = TesseraHarness.master(u).send("SELECT job, msg FROM log ORDER BY job");
        assertThat(log.path("rows")).hasSize(2);
        assertThat(log.path("rows").get(0).path("job").asText()).isEqualTo(id);
        assertThat(log.path("rows").get(0).path("msg").asText()).isEqualTo("relation \"missing_t\" does not exist");
        assertThat(log.path("rows").get(1).path("job").asText()).isEqualTo("job");

        JsonNode ok = awaitFinal(b, b.create(JSON.readTree("{\"query\":[{\"query\":\"SELECT 1\"}],"
                + "\"onsuccess\":\"INSERT INTO log VALUES ('<%= job_id %>', 'ok')\"}")).path("job_id").asText());
        assertThat(ok.path("status").asText()).isEqualTo("done");
        assertThat(ok.path("fallback_status").asText()).isEqualTo("done");
    }

    @Test
    void cancelStopsTheRunningStatementAndAFinishedJobRefuses() throws Exception {
        Accounts.Created u = newUser();
        BatchSqlClient b = batch(u);
        SqlClient sql = TesseraHarness.master(u);
        String marker = "cancel-me-" + u.user().id();
        String id = b.create("SELECT pg_sleep(300) /* " + marker + " */").path("job_id").asText();
        awaitJob(b, id, j -> j.path("status").asText().equals("running"));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!running(sql, marker) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        HttpResponse<String> cancelled = raw("DELETE", u, "/" + id, u.masterKey(), null);
        assertThat(cancelled.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(cancelled.body()).path("status").asText()).isEqualTo("cancelled");
        JsonNode end = awaitJob(b, id, j -> j.path("status").asText().equals("cancelled") && !running(sql, marker));
        assertThat(end.has("failed_reason")).isFalse();
        assertThat(b.cancel(id)).isEqualTo("cancelled");

        String done = b.createAndWaitForCompletion("SELECT 1").path("job_id").asText();
        HttpResponse<String> refused = raw("DELETE", u, "/" + done, u.masterKey(), null);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).isEqualTo("{\"error\":[\"Cannot set status from done to cancelled\"]}");
        assertThat(b.cancel(done)).isEqualTo("done");
    }

    @Test
    void jobsOfOneUserRunInOrderAndPendingOnesCanBeUpdatedOrCancelled() throws Exception {
        Accounts.Created u = newUser();
        BatchSqlClient b = batch(u);
        TesseraHarness.master(u).send("CREATE TABLE seq (n int, at timestamptz DEFAULT clock_timestamp())");
        String first = b.create("SELECT pg_sleep(1); INSERT INTO seq (n) VALUES (1)").path("job_id").asText();
        String second = b.create("INSERT INTO seq (n) VALUES (99)").path("job_id").asText();
        String third = b.create("INSERT INTO seq (n) VALUES (3)").path("job_id").asText();
        JsonNode updated = b.update(second, "INSERT INTO seq (n) VALUES (2)");
        assertThat(updated.path("query").asText()).contains("VALUES (2)");
        String dropped = b.create("INSERT INTO seq (n) VALUES (4)").path("job_id").asText();
        assertThat(b.cancel(dropped)).isEqualTo("cancelled");
        awaitFinal(b, third);
        awaitFinal(b, first);
        JsonNode rows = TesseraHarness.master(u).send("SELECT n FROM seq ORDER BY at");
        List<Integer> order = new ArrayList<>();
        rows.path("rows").forEach(r -> order.add(r.path("n").asInt()));
        assertThat(order).containsExactly(1, 2, 3);
        assertThat(b.read(dropped).path("status").asText()).isEqualTo("cancelled");
        assertThatThrownBy(() -> b.update(first, "SELECT 1")).isInstanceOf(CartoException.class)
                .hasMessage("Job is not pending, it cannot be updated");
        JsonNode list = b.list();
        assertThat(list).hasSize(4);
        assertThat(list.get(0).path("job_id").asText()).isEqualTo(dropped);
    }

    @Test
    void onlyMasterKeysAndOnlyTheirOwnJobs() throws Exception {
        Accounts.Created u = newUser();
        Accounts.Created other = newUser();
        HttpResponse<String> anon = raw("POST", u, "/", null, "{\"query\":\"SELECT 1\"}");
        assertThat(anon.statusCode()).isEqualTo(403);
        assertThat(anon.body()).isEqualTo("{\"error\":[\"permission denied\"]}");
        assertThat(raw("POST", u, "/", "default_public", "{\"query\":\"SELECT 1\"}").statusCode()).isEqualTo(403);
        assertThat(raw("POST", u, "/", "wrong-key", "{\"query\":\"SELECT 1\"}").statusCode()).isEqualTo(401);
        String id = batch(u).create("SELECT 1").path("job_id").asText();
        HttpResponse<String> foreign = raw("GET", other, "/" + id, other.masterKey(), null);
        assertThat(foreign.statusCode()).isEqualTo(400);
        assertThat(foreign.body()).isEqualTo("{\"error\":[\"Job with id " + id + " not found\"]}");
        assertThat(raw("DELETE", other, "/" + id, other.masterKey(), null).statusCode()).isEqualTo(400);
        assertThat(raw("GET", u, "/not-a-uuid", u.masterKey(), null).body()).contains("Job with id not-a-uuid not found");
    }

    @Test
    void invalidQueriesAndLimitsAnswer400() throws Exception {
        Accounts.Created u = newUser();
        HttpResponse<String> missing = raw("POST", u, "/", u.masterKey(), "{}");
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(missing.body()).isEqualTo("{\"error\":[\"You must indicate a valid SQL\"]}");
        HttpResponse<String> noClass = raw("POST", u, "/", u.masterKey(), "{\"query\":{\"nope\":1}}");
        assertThat(noClass.body()).isEqualTo("{\"error\":[\"there is no job class for the provided query\"]}");
        String big = "{\"query\":\"SELECT '" + "x".repeat(17_000) + "'\"}";
        HttpResponse<String> tooBig = raw("POST", u, "/", "wrong-key", big);
        assertThat(tooBig.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(tooBig.body()).path("error").get(0).asText())
                .startsWith("Your payload is too large: ").contains("Max size allowed is 16384 bytes (16kb)");

        BatchSqlClient b = batch(u);
        b.create("SELECT pg_sleep(2)");
        awaitJob(b, b.list().get(0).path("job_id").asText(), j -> j.path("status").asText().equals("running"));
        for (int i = 0; i < 64; i++) {
            b.create("SELECT " + i);
        }
        assertThatThrownBy(() -> b.create("SELECT 'one too many'")).isInstanceOf(CartoException.class)
                .hasMessage("Failed to create job. Max number of jobs (64) queued reached");
    }
}
