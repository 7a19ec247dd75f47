package io.tessera.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.client.CartoException;
import io.tessera.client.CartoRateLimitException;
import io.tessera.client.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Parsing, dispatch and error reporting of the CLI; nothing here reaches a server. */
class CliMainTest {

    @TempDir
    Path dir;

    private TestContext context() {
        return new TestContext(Map.of("XDG_CONFIG_HOME", dir.resolve("xdg").toString()), dir.resolve("home"));
    }

    @Test
    void sqlOptionsAreParsed() {
        TestContext t = context();
        CommandLine cmd = CliMain.commandLine(t.ctx);
        var parsed = cmd.parseArgs("sql", "--format", "csv", "-o", "out.csv", "--param", "skipfields=the_geom",
                "--param", "dp=3", "--base-url", "http://h/user/alice", "-k", "KEY", "SELECT 1");
        SqlCommand sql = (SqlCommand) parsed.subcommand().commandSpec().userObject();
        assertThat(sql.sql).isEqualTo("SELECT 1");
        assertThat(sql.format).isEqualTo(SqlFormat.CSV);
        assertThat(sql.output).isEqualTo(Path.of("out.csv"));
        assertThat(sql.credentials.flags()).isEqualTo(new CredentialResolver.Flags("http://h/user/alice", null, "KEY"));
        assertThat(sql.options().format()).isEqualTo("csv");
        assertThat(sql.options().params()).containsExactly(Map.entry("skipfields", "the_geom"), Map.entry("dp", "3"));
    }

    @Test
    void jsonIsTheDefaultAndNotSentAsAParameter() {
        CommandLine cmd = CliMain.commandLine(context().ctx);
        var parsed = cmd.parseArgs("sql", "-u", "alice", "--insecure", "SELECT 1");
        SqlCommand sql = (SqlCommand) parsed.subcommand().commandSpec().userObject();
        assertThat(sql.format).isEqualTo(SqlFormat.JSON);
        assertThat(sql.options().format()).isNull();
        assertThat(sql.credentials.insecure()).isTrue();
        assertThat(sql.credentials.flags().user()).isEqualTo("alice");
    }

    @Test
    void unknownCommandIsClear() {
        TestContext t = context();
        assertThat(t.run("frobnicate")).isEqualTo(2);
        assertThat(t.err()).contains("tessera: unknown command 'frobnicate'").contains("Commands: sql");
    }

    @Test
    void nearMissSuggestsTheCommand() {
        TestContext t = context();
        assertThat(t.run("sqll", "SELECT 1")).isEqualTo(2);
        assertThat(t.err()).contains("unknown command 'sqll'").contains("tessera sql");
    }

    @Test
    void noCommandPrintsUsage() {
        TestContext t = context();
        assertThat(t.run()).isEqualTo(2);
        assertThat(t.err()).contains("missing command").contains("Usage: tessera");
    }

    @Test
    void helpAndVersionSucceed() {
        TestContext t = context();
        assertThat(t.run("--help")).isZero();
        assertThat(t.out()).contains("sql").contains("CARTO_API_URL");
        TestContext v = context();
        assertThat(v.run("--version")).isZero();
        assertThat(v.out()).startsWith("tessera ");
        TestContext s = context();
        assertThat(s.run("sql", "--help")).isZero();
        assertThat(s.out()).contains("--format").contains("--base-url").contains("--api-key");
    }

    @Test
    void badOptionValueIsAUsageError() {
        TestContext t = context();
        assertThat(t.run("sql", "--format", "xml", "SELECT 1")).isEqualTo(2);
        assertThat(t.err()).contains("tessera sql:").contains("--format");
    }

    @Test
    void missingCredentialsAreAClearError() {
        TestContext t = context();
        assertThat(t.run("sql", "SELECT 1")).isEqualTo(2);
        assertThat(t.err()).contains("tessera: no credentials").contains("CARTO_API_KEY")
                .contains(dir.resolve("xdg/tessera/credentials.json").toString());
        assertThat(t.out()).isEmpty();
    }

    @Test
    void emptySqlFromStdinIsRefusedBeforeAnyRequest() {
        TestContext t = new TestContext(Map.of(), dir, "  \n");
        assertThat(t.run("sql", "--base-url", "http://h/user/a/", "-")).isEqualTo(2);
        assertThat(t.err()).contains("no SQL given");
    }

    @Test
    void unwritableOutputFailsBeforeTheQueryIsSent() throws Exception {
        Path blocker = dir.resolve("file");
        Files.writeString(blocker, "x");
        TestContext t = context();
        // The base URL is never contacted: the output file is opened first.
        assertThat(t.run("sql", "--base-url", "http://localhost:9/user/a/", "-o",
                blocker.resolve("out.json").toString(), "SELECT 1")).isEqualTo(1);
        assertThat(t.err()).contains("cannot write");
    }

    @Test
    void serverErrorsArePrintedWithDetails() throws Exception {
        TestContext t = context();
        var body = Json.mapper().readTree("{\"error\":[\"function st_buffer(geometry) does not exist\"],"
                + "\"hint\":\"No function matches the given name and argument types.\"}");
        int code = CliErrors.report(new CartoException(400, List.of("function st_buffer(geometry) does not exist"),
                body), t.ctx);
        assertThat(code).isEqualTo(1);
        assertThat(t.err()).contains("tessera: function st_buffer(geometry) does not exist (HTTP 400)")
                .contains("tessera: hint: No function matches");
    }

    @Test
    void midStreamErrorsAndRateLimitsArePrinted() {
        TestContext t = context();
        assertThat(CliErrors.report(new CartoException(200, List.of("division by zero"), null), t.ctx)).isEqualTo(1);
        assertThat(t.err()).contains("tessera: division by zero\n").doesNotContain("HTTP 200");
        TestContext r = context();
        CliErrors.report(new CartoRateLimitException(List.of("You are over platform's limits"), null, 10, 0, 5, 9),
                r.ctx);
        assertThat(r.err()).contains("(HTTP 429)").contains("retry after 5 s");
    }

    @Test
    void binaryFormatIsRefusedOnATerminalWithoutOutputFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path home) {
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        CliContext terminal = new CliContext(new java.io.ByteArrayInputStream(new byte[0]),
                new java.io.PrintStream(new java.io.ByteArrayOutputStream()), new java.io.PrintStream(err, true),
                java.util.Map.of(), home, true);
        // Port 9 (discard): the refusal must come before any request is tried.
        assertThat(CliMain.run(terminal, "sql", "--base-url", "http://localhost:9/user/a/", "--format", "gpkg", "SELECT 1"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("--format gpkg is binary: write it to a file with -o FILE");
    }
}
