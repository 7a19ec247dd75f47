package io.tessera.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.tessera.server.TesseraServer;
import io.tessera.server.auth.Accounts;
import io.tessera.server.testing.TestPostgis;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Import API end to end on its own server (small upload limit, a loopback source allow-listed):
 * CARTO's curl recipes (multipart {@code file}, JSON {@code {"url": …}}), carto-python's empty POST and
 * URL-in-query POST, the state machine and error codes, SSRF refusals, and 413 past the size limit.
 */
class ImportApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final int LIMIT = 200_000;
    private static TesseraServer server;
    private static HttpServer source;
    private static Accounts.Created alice;

    @BeforeAll
    static void start() throws Exception {
        source = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        source.createContext("/points.csv", ex -> {
            byte[] body = resource("points.csv");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        source.createContext("/redirect", ex -> {
            ex.getResponseHeaders().add("Location", "http://localhost:" + source.getAddress().getPort() + "/points.csv");
            ex.sendResponseHeaders(302, -1);
            ex.close();
        });
        source.createContext("/missing.csv", ex -> {
            ex.sendResponseHeaders(404, -1);
            ex.close();
        });
        source.start();
        System.setProperty("TESSERA_IMPORT_URL_ALLOW", "127.0.0.1:" + source.getAddress().getPort());
        System.setProperty("TESSERA_IMPORT_MAX_BYTES", String.valueOf(LIMIT));
        try {
            server = TesseraServer.startOn(TestPostgis.config(), TestPostgis.platform());
        } finally {
            System.clearProperty("TESSERA_IMPORT_URL_ALLOW");
            System.clearProperty("TESSERA_IMPORT_MAX_BYTES");
        }
        alice = TestPostgis.newUser("imp");
    }

    @AfterAll
    static void stop() {
        server.close();
        source.stop(0);
    }

    private static byte[] resource(String name) {
        try (InputStream in = ImportApiTest.class.getResourceAsStream("/imports/" + name)) {
            return in.readAllBytes();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String url(String path) {
        return "http://127.0.0.1:" + server.port() + "/user/" + alice.user().username() + path;
    }

    private static String withKey(String path) {
        return url(path) + (path.contains("?") ? "&" : "?") + "api_key=" + alice.masterKey();
    }

    /** What {@code curl -F file=@name URL} sends. */
    private static HttpResponse<String> upload(String query, String filename, byte[] content) throws Exception {
        String boundary = "------------------------d74496d66958873e";
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        b.write(content);
        b.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return HTTP.send(HttpRequest.newBuilder(URI.create(withKey("/api/v1/imports/" + query)))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(b.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String queued(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode j = JSON.readTree(r.body());
        assertThat(j.get("success").asBoolean()).isTrue();
        return j.get("item_queue_id").asText();
    }

    /** Polls as carto-python does until a final state; returns the last answer and records the states seen. */
    private static JsonNode await(String id, List<String> states) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (true) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(withKey("/api/v1/imports/" + id))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode j = JSON.readTree(r.body());
            String state = j.get("state").asText();
            if (states.isEmpty() || !states.get(states.size() - 1).equals(state)) {
                states.add(state);
            }
            if (state.equals("complete") || state.equals("failure")) {
                return j;
            }
            assertThat(j.has("success")).as("success only in final states").isFalse();
            assertThat(System.nanoTime()).as("import " + id + " still " + state).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static JsonNode getJson(String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(withKey(path))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    @Test
    void curlUploadCompletesAndLinksToTableAndDataset() throws Exception {
        List<String> states = new ArrayList<>();
        JsonNode done = await(queued(upload("", "My Points.csv", resource("points.csv"))), states);
        assertThat(states).last().isEqualTo("complete");
        assertThat(states).allMatch(s -> List.of("pending", "uploading", "unpacking", "importing", "guessing", "complete").contains(s));
        List<String> keys = new ArrayList<>();
        done.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).startsWith("id", "user_id", "table_id", "data_type", "table_name", "state", "error_code", "queue_id",
                "tables_created_count", "synchronization_id", "type_guessing", "quoted_fields_guessing", "content_guessing",
                "create_visualization", "visualization_id", "user_defined_limits", "get_error_text", "display_name",
                "success", "original_url", "warnings", "is_raster");
        assertThat(done.get("success").asBoolean()).isTrue();
        assertThat(done.get("get_error_text").isNull()).isTrue();
        assertThat(done.get("display_name").asText()).isEqualTo("My_Points.csv");
        assertThat(done.get("table_name").asText()).isEqualTo("my_points");
        assertThat(done.get("data_type").asText()).isEqualTo("file");
        JsonNode table = getJson("/api/v1/tables/" + done.get("table_id").asText());
        assertThat(table.get("rows_counted").asInt()).isEqualTo(3);
        JsonNode viz = getJson("/api/v1/viz/" + table.get("table_visualization").get("id").asText()
                + "?type=table&exclude_shared=true&with_dependent_visualizations=1");
        assertThat(viz.get("privacy").asText()).isEqualTo("PRIVATE");
        assertThat(viz.get("table").get("geometry_types").toString()).isEqualTo("[\"ST_Point\"]");
    }

    @Test
    void emptyPostIsAcceptedAndFailsLater() throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url("/api/v1/imports/")))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"api_key\":\"" + alice.masterKey() + "\",\"client\":\"cps-1.11.3\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        JsonNode done = await(queued(r), new ArrayList<>());
        assertThat(done.get("state").asText()).isEqualTo("failure");
        assertThat(done.get("error_code").asInt()).isEqualTo(1002);
        assertThat(done.get("success").asBoolean()).isFalse();
        assertThat(done.get("get_error_text").get("title").asText()).isEqualTo("Unsupported/Unrecognized file type");
        assertThat(done.get("get_error_text").get("source").asText()).isEqualTo("user");
    }

    @Test
    void urlImportsFromAnAllowListedSourceInQueryAndJson() throws Exception {
        String src = "http://127.0.0.1:" + source.getAddress().getPort() + "/points.csv";
        // carto-python: ?url=… with an empty body and no Content-Type
        HttpResponse<String> q = HTTP.send(HttpRequest.newBuilder(URI.create(withKey("/api/v1/imports/?url="
                + URLEncoder.encode(src, StandardCharsets.UTF_8) + "&privacy=public"))).POST(HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofString());
        JsonNode done = await(queued(q), new ArrayList<>());
        assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("complete");
        assertThat(done.get("data_type").asText()).isEqualTo("url");
        assertThat(done.get("original_url").asText()).isEqualTo(src);
        String table = done.get("table_name").asText();
        assertThat(TesseraHarness.anonymous(alice).send("SELECT count(*) AS n FROM " + table).get("rows").get(0).get("n").asInt())
                .isEqualTo(3);
        // the curl recipe: JSON body {"url": …}
        HttpResponse<String> j = HTTP.send(HttpRequest.newBuilder(URI.create(withKey("/api/v1/imports/")))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"url\":\"" + src + "\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(await(queued(j), new ArrayList<>()).get("table_name").asText()).isEqualTo("points_1");
    }

    @Test
    void ssrfRefusals() throws Exception {
        int port = source.getAddress().getPort();
        // loopback, not allow-listed: refused at the POST
        HttpResponse<String> loop = HTTP.send(HttpRequest.newBuilder(URI.create(withKey("/api/v1/imports/")))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"url\":\"http://localhost:" + port + "/points.csv\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(loop.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(loop.body()).get("errors").get("imports").asText())
                .isEqualTo("Invalid URL, cannot connect dataset: http://localhost:" + port + "/points.csv");
        HttpResponse<String> scheme = HTTP.send(HttpRequest.newBuilder(URI.create(withKey("/api/v1/imports/?url="
                + URLEncoder.encode("file:///etc/passwd", StandardCharsets.UTF_8)))).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(scheme.statusCode()).isEqualTo(400);
        // allow-listed source redirecting to loopback: the hop is re-checked and refused
        HttpResponse<String> redirect = HTTP.send(HttpRequest.newBuilder(URI.create(withKey("/api/v1/imports/?url="
                + URLEncoder.encode("http://127.0.0.1:" + port + "/redirect", StandardCharsets.UTF_8))))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode failed = await(queued(redirect), new ArrayList<>());
        assertThat(failed.get("state").asText()).isEqualTo("failure");
        assertThat(failed.get("error_code").asInt()).isEqualTo(1101);
        HttpResponse<String> missing = HTTP.send(HttpRequest.newBuilder(URI.create(withKey("/api/v1/imports/?url="
                + URLEncoder.encode("http://127.0.0.1:" + port + "/missing.csv", StandardCharsets.UTF_8))))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode notFound = await(queued(missing), new ArrayList<>());
        assertThat(notFound.get("error_code").asInt()).isEqualTo(1100);
        assertThat(notFound.get("http_response_code").asInt()).isEqualTo(404);
    }

    @Test
    void uploadOverTheLimitIsRefusedAtThePost() throws Exception {
        byte[] big = ("a,b\n" + "1,2\n".repeat(LIMIT / 2)).getBytes(StandardCharsets.US_ASCII);
        HttpResponse<String> r = upload("", "big.csv", big);
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(JSON.readTree(r.body()).get("errors").get("imports").asText()).contains("too big");
    }

    @Test
    void aUserWithAllImportSlotsTakenIsRefusedBeforeTheUploadIsRead() throws Exception {
        // Eight unfinished imports (the default TESSERA_IMPORT_MAX_QUEUED), held by a live node elsewhere.
        String insert = """
                INSERT INTO tessera.jobs (id, kind, user_id, lane, db_role, status, payload, lease_owner, lease_until)
                SELECT gen_random_uuid(), 'import', ?, 'import:slots-' || g, ?, 'running', '{}', 'elsewhere/1',
                       now() + interval '1 hour' FROM generate_series(1, 8) g""";
        try (var c = TestPostgis.platform().admin().dataSource().getConnection();
             var ps = c.prepareStatement(insert)) {
            ps.setObject(1, alice.user().id());
            ps.setString(2, alice.user().ownerRole());
            ps.executeUpdate();
        }
        try {
            HttpResponse<String> r = upload("", "slots.csv", resource("points.csv"));
            assertThat(r.statusCode()).isEqualTo(429);
            assertThat(JSON.readTree(r.body()).get("errors").get("imports").asText())
                    .isEqualTo("We're sorry but you're already using your allowed import slots");
        } finally {
            try (var c = TestPostgis.platform().admin().dataSource().getConnection();
                 var ps = c.prepareStatement("DELETE FROM tessera.jobs WHERE lane LIKE 'import:slots-%'")) {
                ps.executeUpdate();
            }
        }
    }

    @Test
    void badParametersAndAuth() throws Exception {
        HttpResponse<String> privacy = upload("?privacy=secret", "p.csv", resource("points.csv"));
        assertThat(privacy.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(privacy.body()).get("errors").get("imports").asText())
                .isEqualTo("Unknown value 'secret' for 'privacy'. Allowed values are: private, public and link");
        HttpResponse<String> anon = HTTP.send(HttpRequest.newBuilder(URI.create(url("/api/v1/imports/"))).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(anon.statusCode()).isEqualTo(401);
        assertThat(anon.body()).isEmpty();
        HttpResponse<String> bad = HTTP.send(HttpRequest.newBuilder(URI.create(withKey("/api/v1/imports/not-a-uuid"))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(bad.statusCode()).isEqualTo(404);
        JsonNode list = getJson("/api/v1/imports/");
        assertThat(list.get("success").asBoolean()).isTrue();
        assertThat(list.get("imports").isArray()).isTrue();
        HttpResponse<String> garbage = upload("", "garbage.csv", resource("garbage.csv"));
        JsonNode failed = await(queued(garbage), new ArrayList<>());
        assertThat(failed.get("error_code").asInt()).isEqualTo(1002);
        assertThat(getJson("/api/v1/imports/").get("imports").toString()).doesNotContain(failed.get("id").asText());
    }
}
