package io.tessera.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.tessera.server.TesseraServer;
import io.tessera.server.auth.Accounts;
import io.tessera.server.testing.TestPostgis;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Sync tables end to end on their own server (a loopback source allow-listed, the scheduler ticking every
 * 200 ms): create → success with a table and a visualization, a force sync reloading changed content into
 * the same dataset with its privacy, the scheduler re-running a due sync without reloading unchanged
 * content, sync_now's rules, errors and auth, and delete leaving the table.
 */
class SyncApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final Map<String, String> FILES = new ConcurrentHashMap<>();
    private static TesseraServer server;
    private static HttpServer source;
    private static Accounts.Created alice;
    private static Accounts.Created bob;

    @BeforeAll
    static void start() throws Exception {
        source = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        source.createContext("/", ex -> {
            String body = FILES.get(ex.getRequestURI().getPath());
            if (body == null) {
                ex.sendResponseHeaders(404, -1);
            } else {
                byte[] b = body.getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders(200, b.length);
                ex.getResponseBody().write(b);
            }
            ex.close();
        });
        source.start();
        System.setProperty("TESSERA_IMPORT_URL_ALLOW", "127.0.0.1:" + source.getAddress().getPort());
        System.setProperty("TESSERA_SYNC_PERIOD_MS", "200");
        try {
            server = TesseraServer.startOn(TestPostgis.config(), TestPostgis.platform());
        } finally {
            System.clearProperty("TESSERA_IMPORT_URL_ALLOW");
            System.clearProperty("TESSERA_SYNC_PERIOD_MS");
        }
        alice = TestPostgis.newUser("syn");
        bob = TestPostgis.newUser("synb");
    }

    @AfterAll
    static void stop() {
        server.close();
        source.stop(0);
    }

    private static String csv(int rows) {
        StringBuilder b = new StringBuilder("name,lat,lon\n");
        for (int i = 0; i < rows; i++) {
            b.append("p").append(i).append(',').append(40 + i * 0.1).append(',').append(-3 - i * 0.1).append('\n');
        }
        return b.toString();
    }

    private static String sourceUrl(String path) {
        return "http://127.0.0.1:" + source.getAddress().getPort() + path;
    }

    private static URI uri(Accounts.Created who, String key, String path) {
        return URI.create("http://127.0.0.1:" + server.port() + "/user/" + who.user().username() + path
                + (path.contains("?") ? "&" : "?") + "api_key=" + key);
    }

    private static HttpResponse<String> send(String method, String path, String json) throws Exception {
        return send(alice, alice.masterKey(), method, path, json);
    }

    private static HttpResponse<String> send(Accounts.Created who, String key, String method, String path, String json)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(who, key, path));
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        b.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode ok(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    /** carto-python's create(url, interval): a JSON body with url, interval, api_key and client. */
    private static JsonNode create(String path, int interval) throws Exception {
        return ok(send("POST", "/api/v1/synchronizations/", JSON.createObjectNode().put("url", sourceUrl(path))
                .put("interval", interval).put("api_key", alice.masterKey()).put("client", "carto-python-sdk").toString()));
    }

    /** Polls GET /synchronizations/:id (as DatasetManager.create does) until a final state after {@code afterRanAt}. */
    private static JsonNode awaitRun(String id, String afterRanAt) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (true) {
            JsonNode s = ok(send("GET", "/api/v1/synchronizations/" + id, null));
            String state = s.get("state").asText();
            if ((state.equals("success") || state.equals("failure")) && !s.get("ran_at").asText().equals(afterRanAt)) {
                return s;
            }
            assertThat(System.nanoTime()).as("sync " + id + " still " + state).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static long rows(String table, boolean anonymous) {
        var client = anonymous ? TesseraHarness.anonymous(alice) : TesseraHarness.master(alice);
        try {
            return client.send("SELECT count(*) AS n FROM " + table).get("rows").get(0).get("n").asLong();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void createSucceedsAndForceSyncReloadsIntoTheSameDatasetKeepingItsPrivacy() throws Exception {
        FILES.put("/stations.csv", csv(3));
        JsonNode created = create("/stations.csv", 3600);
        assertThat(created.get("data_import").get("endpoint").asText()).isEqualTo("/api/v1/imports");
        assertThat(created.get("data_import").get("item_queue_id").asText()).isNotBlank();
        assertThat(created.get("state").asText()).isIn("queued", "syncing", "success");
        assertThat(created.get("interval").asInt()).isEqualTo(3600);
        assertThat(created.get("checksum").asText()).isEmpty();
        String id = created.get("id").asText();

        JsonNode done = awaitRun(id, "null");
        assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("success");
        String table = done.get("name").asText();
        String vizId = done.get("visualization_id").asText();
        assertThat(table).isEqualTo("stations");
        assertThat(rows(table, false)).isEqualTo(3);
        JsonNode viz = ok(send("GET", "/api/v1/viz/" + vizId, null));
        assertThat(viz.get("name").asText()).isEqualTo(table);

        ok(send("PUT", "/api/v1/viz/" + vizId, "{\"id\":\"" + vizId + "\",\"privacy\":\"PUBLIC\"}"));
        assertThat(rows(table, true)).isEqualTo(3);

        FILES.put("/stations.csv", csv(5));
        JsonNode forced = ok(send("PUT", "/api/v1/synchronizations/" + id + "/", null)); // force_sync(): no body
        assertThat(forced.get("id").asText()).isEqualTo(id);
        JsonNode again = awaitRun(id, done.get("ran_at").asText());
        assertThat(again.get("state").asText()).as(again.toString()).isEqualTo("success");
        assertThat(again.get("name").asText()).isEqualTo(table);
        assertThat(again.get("visualization_id").asText()).isEqualTo(vizId);
        assertThat(rows(table, true)).as("public still, with the new rows").isEqualTo(5);
        assertThat(ok(send("GET", "/api/v1/viz/" + vizId, null)).get("privacy").asText()).isEqualTo("PUBLIC");

        JsonNode list = ok(send("GET", "/api/v1/synchronizations/", null));
        assertThat(list.get("total_entries").asInt()).isEqualTo(list.get("synchronizations").size());
        assertThat(list.get("synchronizations").findValuesAsText("id")).contains(id);
    }

    @Test
    void schedulerRerunsADueSyncAndSkipsUnchangedContent() throws Exception {
        FILES.put("/due.csv", csv(2));
        String id = create("/due.csv", 900).get("id").asText();
        JsonNode first = awaitRun(id, "null");
        assertThat(first.get("state").asText()).as(first.toString()).isEqualTo("success");
        // sync_now right after a run: refused (last run under 15 min ago), 200 all the same
        JsonNode now = ok(send("PUT", "/api/v1/synchronizations/" + id + "/sync_now", null));
        assertThat(now.get("enqueued").asBoolean()).isFalse();
        assertThat(now.get("synchronization_id").asText()).isEqualTo(id);
        assertThat(ok(send("GET", "/api/v1/synchronizations/" + id + "/sync_now", null)).get("state").asText()).isEqualTo("success");

        try (var c = TestPostgis.platform().admin().dataSource().getConnection();
             var ps = c.prepareStatement("UPDATE tessera.synchronizations SET run_at = now() - interval '1 second' WHERE id = ?::uuid")) {
            ps.setString(1, id);
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
        JsonNode rerun = awaitRun(id, first.get("ran_at").asText());
        assertThat(rerun.get("state").asText()).as(rerun.toString()).isEqualTo("success");
        assertThat(rerun.get("modified_at").asText()).as("same content: not reloaded").isEqualTo(first.get("modified_at").asText());
        assertThat(rerun.get("log_id").asText()).isNotEqualTo(first.get("log_id").asText());
        assertThat(rows(first.get("name").asText(), false)).isEqualTo(2);
    }

    @Test
    void aFailedDownloadEndsInFailureWithTheImportCode() throws Exception {
        JsonNode failed = awaitRun(create("/nothing-here.csv", 900).get("id").asText(), "null");
        assertThat(failed.get("state").asText()).isEqualTo("failure");
        assertThat(failed.get("error_code").asInt()).isEqualTo(1100);
        assertThat(failed.get("error_message").asText()).startsWith("Download file not found");
        assertThat(failed.get("retried_times").asInt()).isEqualTo(1);
    }

    @Test
    void errorsAndAuth() throws Exception {
        HttpResponse<String> bad = send("POST", "/api/v1/synchronizations", "{\"url\":\"" + sourceUrl("/x.csv") + "\",\"interval\":\"60\"}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(bad.body()))
                .isEqualTo(JSON.readTree("{\"errors\":\"Invalid interval: Sync interval must be at least 15 minutes\"}"));
        HttpResponse<String> ssrf = send("POST", "/api/v1/synchronizations", "{\"url\":\"http://169.254.169.254/x.csv\",\"interval\":900}");
        assertThat(ssrf.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(ssrf.body()).get("errors").asText()).startsWith("Invalid URL, cannot connect dataset: ");

        FILES.put("/mine.csv", csv(1));
        String id = create("/mine.csv", 900).get("id").asText();
        HttpResponse<String> other = send(bob, bob.masterKey(), "GET", "/api/v1/synchronizations/" + id, null);
        assertThat(other.statusCode()).isEqualTo(401);
        assertThat(other.body()).isEmpty();
        assertThat(send(bob, bob.masterKey(), "PUT", "/api/v1/synchronizations/" + id, null).statusCode()).isEqualTo(401);
        assertThat(send(bob, bob.masterKey(), "DELETE", "/api/v1/synchronizations/" + id, null).statusCode()).isEqualTo(401);
        assertThat(ok(send(bob, bob.masterKey(), "GET", "/api/v1/synchronizations", null)).get("total_entries").asInt()).isZero();
        HttpResponse<String> publicKey = send(alice, "default_public", "GET", "/api/v1/synchronizations", null);
        assertThat(publicKey.statusCode()).isEqualTo(401);
        assertThat(publicKey.body()).isEmpty();
        HttpResponse<String> missing = send("GET", "/api/v1/synchronizations/" + java.util.UUID.randomUUID(), null);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).isEmpty();
    }

    @Test
    void deleteStopsTheSyncAndLeavesTheTable() throws Exception {
        FILES.put("/kept.csv", csv(4));
        String id = create("/kept.csv", 900).get("id").asText();
        JsonNode done = awaitRun(id, "null");
        assertThat(done.get("state").asText()).isEqualTo("success");
        HttpResponse<String> del = send("DELETE", "/api/v1/synchronizations/" + id, null);
        assertThat(del.statusCode()).isEqualTo(204);
        assertThat(send("GET", "/api/v1/synchronizations/" + id, null).statusCode()).isEqualTo(404);
        assertThat(rows(done.get("name").asText(), false)).isEqualTo(4);
        assertThat(ok(send("GET", "/api/v1/viz/" + done.get("visualization_id").asText(), null)).get("name").asText())
                .isEqualTo(done.get("name").asText());
    }
    @Test
    void sdkCreatesRefreshesForceSyncsAndLists() throws Exception {
        FILES.put("/sdk.csv", csv(2));
        var auth = new io.tessera.client.auth.ApiKeyAuthClient(
                "http://127.0.0.1:" + server.port() + "/user/" + alice.user().username() + "/", alice.masterKey());
        var manager = new io.tessera.client.sync.SyncTableJobManager(auth);
        var job = manager.create(sourceUrl("/sdk.csv"), 900);
        assertThat(job.itemQueueId()).isPresent();
        job.await(null, Duration.ofSeconds(120), Duration.ofMillis(50));
        assertThat(job.state()).isEqualTo("success");
        assertThat(job.visualizationId()).isPresent();
        String table = job.name().orElseThrow();
        assertThat(rows(table, false)).isEqualTo(2);

        FILES.put("/sdk.csv", csv(6));
        String ranAt = job.ranAt().orElseThrow();
        assertThat(job.forceSync().id()).isEqualTo(job.id());
        job.await(ranAt, Duration.ofSeconds(120), Duration.ofMillis(50));
        assertThat(job.state()).isEqualTo("success");
        assertThat(rows(table, false)).isEqualTo(6);
        assertThat(manager.all()).extracting(io.tessera.client.sync.SyncTableJob::id).contains(job.id());
        assertThat(manager.get(job.id()).visualizationId()).isEqualTo(job.visualizationId());
        job.delete();
        FILES.put("/sdk_dataset.csv", csv(3));
        var dataset = new io.tessera.client.datasets.DatasetManager(auth).create(sourceUrl("/sdk_dataset.csv"), 900,
                Duration.ofSeconds(120));
        assertThat(dataset.name()).isEqualTo("sdk_dataset");
        assertThat(dataset.rowCount()).isEqualTo(3);
        assertThat(manager.all()).extracting(io.tessera.client.sync.SyncTableJob::id).doesNotContain(job.id());
    }
    @Test
    void aUserAtThreeRunningSyncsWaitsForTheScheduler() throws Exception {
        Accounts.Created carol = TestPostgis.newUser("sync");
        FILES.put("/busy.csv", csv(1));
        try (var c = TestPostgis.platform().admin().dataSource().getConnection();
             var ps = c.prepareStatement("INSERT INTO tessera.synchronizations (id, user_id, url, interval_s, state) "
                     + "SELECT gen_random_uuid(), ?::uuid, 'http://example.com/x.csv', 900, 'syncing' FROM generate_series(1, 3)")) {
            ps.setString(1, carol.user().id().toString());
            ps.executeUpdate();
        }
        JsonNode created = ok(send(carol, carol.masterKey(), "POST", "/api/v1/synchronizations",
                "{\"url\":\"" + sourceUrl("/busy.csv") + "\",\"interval\":900}"));
        assertThat(created.get("state").asText()).isEqualTo("created");
        assertThat(created.get("data_import").get("item_queue_id").isNull()).isTrue();
        String id = created.get("id").asText();
        Thread.sleep(600); // three scheduler ticks: still over the limit
        assertThat(ok(send(carol, carol.masterKey(), "GET", "/api/v1/synchronizations/" + id, null)).get("state").asText())
                .isEqualTo("created");
        try (var c = TestPostgis.platform().admin().dataSource().getConnection();
             var ps = c.prepareStatement("UPDATE tessera.synchronizations SET state = 'success', run_at = now() + interval '1 hour' "
                     + "WHERE user_id = ?::uuid AND state = 'syncing'")) {
            ps.setString(1, carol.user().id().toString());
            assertThat(ps.executeUpdate()).isEqualTo(3);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        JsonNode s;
        do {
            Thread.sleep(50);
            s = ok(send(carol, carol.masterKey(), "GET", "/api/v1/synchronizations/" + id, null));
            assertThat(System.nanoTime()).as(s.toString()).isLessThan(deadline);
        } while (!s.get("state").asText().equals("success"));
        assertThat(s.get("name").asText()).isEqualTo("busy");
    }
    @Test
    void aTableRenamedThroughSqlIsFollowed() throws Exception {
        FILES.put("/renamed.csv", csv(2));
        String id = create("/renamed.csv", 900).get("id").asText();
        JsonNode first = awaitRun(id, "null");
        assertThat(first.get("name").asText()).isEqualTo("renamed");
        TesseraHarness.master(alice).send("ALTER TABLE renamed RENAME TO renamed_by_hand");
        FILES.put("/renamed.csv", csv(7));
        ok(send("PUT", "/api/v1/synchronizations/" + id, null));
        JsonNode again = awaitRun(id, first.get("ran_at").asText());
        assertThat(again.get("state").asText()).as(again.toString()).isEqualTo("success");
        assertThat(again.get("name").asText()).isEqualTo("renamed_by_hand");
        assertThat(again.get("visualization_id").asText()).isEqualTo(first.get("visualization_id").asText());
        assertThat(rows("renamed_by_hand", false)).isEqualTo(7);
    }
}
