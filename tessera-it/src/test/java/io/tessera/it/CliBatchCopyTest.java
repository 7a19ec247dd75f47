package io.tessera.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessera.cli.CliContext;
import io.tessera.cli.CliMain;
import io.tessera.server.auth.Accounts;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tessera batch …} and {@code tessera copy …} end to end, in-process against the harness server. */
class CliBatchCopyTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Accounts.Created user;

    @TempDir
    Path home;

    @BeforeAll
    static void setUp() {
        user = TesseraHarness.newUser("clicopy");
    }

    private record Run(int code, String out, String err) {
    }

    private Run cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Map<String, String> env = Map.of("CARTO_API_URL", TesseraHarness.baseUrl(user.user().username()),
                "CARTO_API_KEY", user.masterKey());
        CliContext ctx = new CliContext(new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env, home);
        int code = CliMain.run(ctx, args);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void batchRunsWaitsReportsAndCancels() throws Exception {
        Path sql = home.resolve("job.sql");
        Files.writeString(sql, "CREATE TABLE from_batch (a int);\nINSERT INTO from_batch VALUES (1), (2);\n");
        Run run = cli("batch", "run", sql.toString(), "--wait", "--interval", "0.1");
        assertThat(run.code()).as(run.err()).isZero();
        JsonNode job = JSON.readTree(run.out());
        assertThat(job.path("status").asText()).isEqualTo("done");
        String id = job.path("job_id").asText();

        Run status = cli("batch", "status", id);
        assertThat(JSON.readTree(status.out()).path("job_id").asText()).isEqualTo(id);
        Run cancel = cli("batch", "cancel", id);
        assertThat(cancel.out().trim()).isEqualTo("done");

        Files.writeString(sql, "SELECT * FROM not_there");
        Run failed = cli("batch", "run", sql.toString(), "--wait", "--interval", "0.1");
        assertThat(failed.code()).isEqualTo(CliMain.EXIT_FAILURE);
        assertThat(failed.err()).contains("relation \"not_there\" does not exist");

        Run queued = cli("batch", "run", sql.toString());
        assertThat(queued.code()).isZero();
        assertThat(JSON.readTree(queued.out()).path("status").asText()).isIn("pending", "running", "failed");
    }

    @Test
    void copyLoadsAFileAndExportsAQueryWithProgress() throws Exception {
        TesseraHarness.master(user).send("CREATE TABLE places (id int, name text)");
        Path csv = home.resolve("places.csv");
        String body = IntStream.rangeClosed(1, 5000).mapToObj(i -> i + ",place " + i).collect(Collectors.joining("\n", "id,name\n", "\n"));
        Files.writeString(csv, body);
        Run from = cli("copy", "from", csv.toString(), "--table", "places", "--columns", "id,name");
        assertThat(from.code()).as(from.err()).isZero();
        assertThat(JSON.readTree(from.out()).path("total_rows").asInt()).isEqualTo(5000);
        assertThat(from.err()).contains("copy from").contains("rows");

        Path out = home.resolve("out.csv");
        Run to = cli("copy", "to", out.toString(), "--query", "SELECT id, name FROM places ORDER BY id");
        assertThat(to.code()).as(to.err()).isZero();
        assertThat(Files.readString(out)).isEqualTo(body);
        assertThat(to.err()).contains("5001 lines");

        Run plain = cli("copy", "from", csv.toString(), "-t", "places", "--no-compress", "--no-progress");
        assertThat(JSON.readTree(plain.out()).path("total_rows").asInt()).isEqualTo(5000);
        Run table = cli("copy", "to", "-", "--table", "places", "--format", "text", "--no-progress");
        assertThat(table.out().lines().count()).isEqualTo(10_000);

        Run bad = cli("copy", "from", csv.toString(), "-t", "no_such_table", "--no-progress");
        assertThat(bad.code()).isEqualTo(CliMain.EXIT_FAILURE);
        assertThat(bad.err()).contains("relation \"no_such_table\" does not exist");
    }
}
