package io.tessera.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessera.client.CartoException;
import io.tessera.client.auth.ApiKeyAuthClient;
import io.tessera.client.auth.NoAuthClient;
import io.tessera.client.sql.CopySqlClient;
import io.tessera.client.sql.SqlClient;
import io.tessera.server.TesseraServer;
import io.tessera.server.auth.Accounts;
import io.tessera.server.config.TesseraConfig;
import io.tessera.server.testing.Await;
import io.tessera.server.testing.TestPostgis;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The COPY API through the SDK, raw HTTP and raw sockets: streaming both ways, gzip, errors, aborted uploads. */
class CopyApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Accounts.Created alice;
    private static SqlClient sql;
    private static CopySqlClient copy;

    @BeforeAll
    static void setUp() {
        alice = TesseraHarness.newUser("copy");
        sql = TesseraHarness.master(alice);
        copy = new CopySqlClient(new ApiKeyAuthClient(TesseraHarness.baseUrl(alice.user().username()), alice.masterKey()));
    }

    private static List<String> rows(int n) {
        return IntStream.rangeClosed(1, n).mapToObj(i -> i + ",name " + i + "," + i + ".5").toList();
    }

    private static int count(String table) {
        return sql.send("SELECT count(*) AS n FROM " + table).path("rows").get(0).path("n").asInt();
    }

    private static String copyPath(String endpoint, String q, String key) {
        return "/user/" + alice.user().username() + "/api/v2/sql/" + endpoint + "?q=" + URLEncoder.encode(q, StandardCharsets.UTF_8)
                + (key == null ? "" : "&api_key=" + key);
    }

    private static HttpResponse<String> post(String pathAndQuery, byte[] body, String encoding) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(TesseraHarness.url(pathAndQuery)))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (encoding != null) {
            b.header("Content-Encoding", encoding);
        }
        return TesseraHarness.send(b.build());
    }

    private static boolean copyActive(String table) {
        return sql.send("SELECT count(*) AS n FROM pg_stat_activity WHERE state = 'active' AND query LIKE 'COPY " + table + " %'")
                .path("rows").get(0).path("n").asInt() > 0;
    }

    @Test
    void rowsStreamInGzippedOrPlainAndComeBackOut(@TempDir Path dir) throws Exception {
        sql.send("CREATE TABLE t1 (id int, name text, v float8)");
        JsonNode r = copy.copyFrom("COPY t1 (id, name, v) FROM STDIN WITH (FORMAT csv)", rows(1000));
        assertThat(r.path("total_rows").asInt()).isEqualTo(1000);
        assertThat(r.has("time")).isTrue();
        JsonNode plain = copy.copyFrom("COPY t1 FROM STDIN WITH (FORMAT csv)",
                new ByteArrayInputStream("1001,x,1\n1002,y,2\n".getBytes(StandardCharsets.UTF_8)), false);
        assertThat(plain.path("total_rows").asInt()).isEqualTo(2);
        Path file = dir.resolve("in.csv");
        Files.write(file, rows(10));
        assertThat(copy.copyFrom("COPY t1 FROM STDIN WITH (FORMAT csv)", file).path("total_rows").asInt()).isEqualTo(10);
        assertThat(count("t1")).isEqualTo(1012);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        copy.copyTo("COPY (SELECT id, name, v FROM t1 WHERE id > 10 AND id <= 1000 ORDER BY id) TO STDOUT WITH (FORMAT csv)", out);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(String.join("\n", rows(1000).subList(10, 1000)) + "\n");
        Path target = dir.resolve("out.csv");
        assertThat(copy.copyTo("COPY (SELECT 1 AS a) TO STDOUT WITH (FORMAT csv, HEADER true)", target)).isEqualTo(4);
        assertThat(Files.readString(target)).isEqualTo("a\n1\n");
        String longQuery = "COPY (SELECT 1 AS a /* " + "x".repeat(1100) + " */) TO STDOUT";
        try (InputStream in = copy.copyToStream(longQuery)) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("1\n");
        }
    }

    @Test
    void copytoSendsAnAttachmentAndGzipsWhenAccepted() throws Exception {
        String q = "COPY (SELECT g FROM generate_series(1, 3) g) TO STDOUT";
        HttpResponse<String> plain = TesseraHarness.get(copyPath("copyto", q, alice.masterKey()), null);
        assertThat(plain.statusCode()).isEqualTo(200);
        assertThat(plain.body()).isEqualTo("1\n2\n3\n");
        assertThat(plain.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
        assertThat(plain.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=carto-sql-copyto.dmp");
        assertThat(plain.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
        HttpResponse<String> named = TesseraHarness.get(copyPath("copyto", q, alice.masterKey()) + "&filename=/tmp/output.dmp", null);
        assertThat(named.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=%2Ftmp%2Foutput.dmp");

        HttpResponse<byte[]> gz = TesseraHarness.sendBytes(HttpRequest.newBuilder(URI.create(TesseraHarness.url(
                copyPath("copyto", q, alice.masterKey())))).header("Accept-Encoding", "gzip, deflate").build());
        assertThat(gz.headers().firstValue("Content-Encoding")).hasValue("gzip");
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz.body()))) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("1\n2\n3\n");
        }
        HttpResponse<String> form = TesseraHarness.send(HttpRequest.newBuilder(URI.create(TesseraHarness.url(
                        "/user/" + alice.user().username() + "/api/v2/sql/copyto")))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("api_key=" + alice.masterKey() + "&q=" + URLEncoder.encode(q, StandardCharsets.UTF_8)))
                .build());
        assertThat(form.body()).isEqualTo("1\n2\n3\n");
    }

    @Test
    void badRequestsAnswerCartoErrors() throws Exception {
        sql.send("CREATE TABLE t3 (id int)");
        String key = alice.masterKey();
        assertThat(post(copyPath("copyfrom", "", key), new byte[0], null).body()).isEqualTo("{\"error\":[\"SQL is missing\"]}");
        assertThat(post(copyPath("copyfrom", "SELECT 1", key), new byte[0], null).body()).isEqualTo("{\"error\":[\"SQL must start with COPY\"]}");
        assertThat(post(copyPath("copyfrom", "COPY t3 FROM STDIN; DROP TABLE t3", key), "1\n".getBytes(), null).statusCode()).isEqualTo(400);
        assertThat(post(copyPath("copyfrom", "COPY t3 FROM '/etc/passwd'", key), "1\n".getBytes(), null).statusCode()).isEqualTo(400);
        assertThat(post(copyPath("copyfrom", "COPY t3 FROM PROGRAM 'id' -- FROM STDIN", key), "1\n".getBytes(), null).statusCode()).isEqualTo(400);
        HttpResponse<String> missing = post(copyPath("copyfrom", "COPY unexisting_table FROM STDIN", key), "1\n".getBytes(), null);
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(missing.body()).isEqualTo("{\"error\":[\"relation \\\"unexisting_table\\\" does not exist\"]}");
        assertThatThrownBy(() -> copy.copyFrom("COPY unexisting_table FROM STDIN", List.of("1")))
                .isInstanceOf(CartoException.class).hasMessage("relation \"unexisting_table\" does not exist");
        assertThat(post(copyPath("copyfrom", "COPY t3 FROM STDIN", key), new byte[0], null).body())
                .isEqualTo("{\"error\":[\"No rows copied\"]}");
        assertThat(post(copyPath("copyfrom", "COPY t3 FROM STDIN", key), "1\n".getBytes(), "gzip").body())
                .isEqualTo("{\"error\":[\"Error while gunzipping: incorrect header check\"]}");
        HttpResponse<String> badRow = post(copyPath("copyfrom", "COPY t3 FROM STDIN", key), "1\nnot-a-number\n".getBytes(), null);
        assertThat(badRow.statusCode()).isEqualTo(400);
        assertThat(badRow.body()).contains("invalid input syntax for type integer");
        HttpResponse<String> pub = post(copyPath("copyfrom", "COPY t3 FROM STDIN", "default_public"), "1\n".getBytes(), null);
        assertThat(pub.statusCode()).isEqualTo(403);
        assertThat(pub.body()).contains("permission denied");
        CopySqlClient anonymous = new CopySqlClient(new NoAuthClient(TesseraHarness.baseUrl(alice.user().username())));
        assertThatThrownBy(() -> anonymous.copyTo("COPY t3 TO STDOUT", new ByteArrayOutputStream()))
                .isInstanceOf(CartoException.class).hasMessageContaining("permission denied");
        HttpResponse<String> copyToError = TesseraHarness.get(copyPath("copyto", "COPY (SELECT 1/0) TO STDOUT", key), null);
        assertThat(copyToError.statusCode()).isEqualTo(400);
        assertThat(copyToError.body()).isEqualTo("{\"error\":[\"division by zero\"]}");
        assertThat(count("t3")).isZero();
    }

    @Test
    void aTruncatedGzipBodyLeavesNoRows() throws Exception {
        sql.send("CREATE TABLE t4 (id int, name text, v float8)");
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (OutputStream z = new GZIPOutputStream(gz)) {
            z.write((String.join("\n", rows(20_000)) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        byte[] whole = gz.toByteArray();
        HttpResponse<String> cut = post(copyPath("copyfrom", "COPY t4 FROM STDIN WITH (FORMAT csv)", alice.masterKey()),
                Arrays.copyOf(whole, whole.length - 200), "gzip");
        assertThat(cut.statusCode()).isEqualTo(400);
        assertThat(cut.body()).startsWith("{\"error\":[\"Error while gunzipping: ");
        assertThat(count("t4")).isZero();
        assertThat(post(copyPath("copyfrom", "COPY t4 FROM STDIN WITH (FORMAT csv)", alice.masterKey()), whole, "gzip").body())
                .contains("\"total_rows\":20000");
    }

    @Test
    void aClientThatDisconnectsMidUploadLeavesNoRows() throws Exception {
        for (boolean chunked : new boolean[] {true, false}) {
            String table = chunked ? "t5_chunked" : "t5_length";
            sql.send("CREATE TABLE " + table + " (id int, name text, v float8)");
            byte[] part = (String.join("\n", rows(5_000)) + "\n").getBytes(StandardCharsets.UTF_8);
            try (Socket s = new Socket("127.0.0.1", TesseraHarness.server().port())) {
                OutputStream out = s.getOutputStream();
                String head = "POST " + copyPath("copyfrom", "COPY " + table + " FROM STDIN WITH (FORMAT csv)", alice.masterKey())
                        + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/csv\r\n"
                        + (chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + (part.length * 10L) + "\r\n") + "\r\n";
                out.write(head.getBytes(StandardCharsets.US_ASCII));
                if (chunked) {
                    out.write((Integer.toHexString(part.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(part);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                } else {
                    out.write(part);
                }
                out.flush();
                Await.until("the COPY runs", () -> copyActive(table));
            } // closed without the last chunk / before Content-Length bytes
            Await.until("the COPY ends", () -> !copyActive(table));
            assertThat(count(table)).as(table).isZero();
        }
    }

    @Test
    void theDecompressedSizeCapIsConfigurable() throws Exception {
        TesseraConfig base = TestPostgis.config();
        TesseraConfig.JobLimits j = base.jobs();
        TesseraConfig small = base.withJobs(new TesseraConfig.JobLimits(j.leaseMs(), j.batchWorkers(), j.batchMaxQueued(),
                j.batchTimeoutMs(), j.batchMaxPayload(), 1 << 20, j.copyTimeoutMs()));
        sql.send("CREATE TABLE t6 (id int, name text, v float8)");
        try (TesseraServer capped = TesseraServer.startOn(small, TestPostgis.platform())) {
            CopySqlClient c = new CopySqlClient(new ApiKeyAuthClient("http://127.0.0.1:" + capped.port() + "/user/"
                    + alice.user().username() + "/", alice.masterKey()));
            List<String> many = new ArrayList<>(rows(100_000)); // ~2.3 MB decompressed, far less gzipped
            assertThatThrownBy(() -> c.copyFrom("COPY t6 FROM STDIN WITH (FORMAT csv)", many))
                    .isInstanceOf(CartoException.class).hasMessage("COPY FROM maximum POST size of 1 MB exceeded");
            assertThat(count("t6")).isZero();
            assertThat(c.copyFrom("COPY t6 FROM STDIN WITH (FORMAT csv)", rows(1000)).path("total_rows").asInt()).isEqualTo(1000);
        }
    }
}
