package io.tessera.it.forked;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code tessera serve} as a user runs it: fresh home, banner with base URL and key, SQL through the SDK, clean
 * stop on SIGTERM (no postmaster left); the same as a non-root user; and a restart after SIGKILL that copes with
 * the orphaned postmaster and keeps the data.
 */
class StartCommandTest {
    private static final String TEST_USER = "tessera-test";

    @Test
    @Timeout(170)
    void freshHomeStartsServesAndStopsCleanly() throws Exception {
        Path dir = ForkedServer.tempDir("tessera-start-");
        try {
            startServeAndStop(ForkedServer.Launch.of(dir.resolve("home")));
        } finally {
            ForkedServer.killPostmasters(dir.resolve("home"));
            ForkedServer.deleteTree(dir);
        }
    }

    @Test
    @Timeout(170)
    void startsAsANonRootUser() throws Exception {
        Path dir = ForkedServer.tempDir("tessera-start-user-");
        Path home = dir.resolve("home");
        try {
            if (!ForkedServer.isRoot()) {
                // Already a non-root user: this is the current-user case again, under another home.
                startServeAndStop(ForkedServer.Launch.of(home));
                return;
            }
            ensureSystemUser(TEST_USER);
            Files.createDirectories(home);
            chown(home, TEST_USER);
            Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
            // Launch.of uses a world-readable snapshot of the test classpath (/root/.m2 is not readable by the user).
            startServeAndStop(ForkedServer.Launch.of(home).asUser(TEST_USER));
            // Everything the server made in its home belongs to that user, not root.
            UserPrincipal owner = Files.getOwner(home.resolve("pg"));
            assertThat(owner.getName()).isEqualTo(TEST_USER);
        } finally {
            ForkedServer.killPostmasters(home);
            ForkedServer.deleteTree(dir);
        }
    }

    @Test
    @Timeout(170)
    void restartsAfterSigkillWithTheOrphanedPostmasterAndKeepsData() throws Exception {
        Path dir = ForkedServer.tempDir("tessera-restart-");
        Path home = dir.resolve("home");
        ForkedServer first = null;
        ForkedServer second = null;
        try {
            first = ForkedServer.start(ForkedServer.Launch.of(home));
            String key = first.apiKey();
            assertThat(key).as("banner key\n%s", first.output()).isNotNull();
            first.sql().send("CREATE TABLE kept_across_kill AS SELECT 7 AS v, 'before kill'::text AS note");
            List<Long> before = ForkedServer.postmasters(home);
            assertThat(before).as("one postmaster on %s/pg", home).hasSize(1);

            first.kill();
            assertThat(first.process().isAlive()).isFalse();
            assertThat(ForkedServer.postmasters(home)).as("the postmaster outlives a SIGKILLed server").isEqualTo(before);

            second = ForkedServer.start(ForkedServer.Launch.of(home));
            List<Long> after = ForkedServer.postmasters(home);
            assertThat(after).as("never two postmasters on one data directory").hasSize(1);
            String secondKey = second.apiKey() != null ? second.apiKey() : key;
            String base = second.baseUrl() != null ? second.baseUrl() : "http://localhost:" + second.port() + "/user/demo/";
            JsonNode r = ForkedServer.sql(base, secondKey).send("SELECT v, note FROM kept_across_kill");
            assertThat(r.path("rows")).hasSize(1);
            assertThat(r.path("rows").get(0).path("v").asInt()).isEqualTo(7);
            assertThat(r.path("rows").get(0).path("note").asText()).isEqualTo("before kill");

            assertThat(second.stop(Duration.ofSeconds(60))).as("server exits on SIGTERM").isTrue();
            assertThat(ForkedServer.awaitNoPostmaster(home, Duration.ofSeconds(30)))
                    .as("postmaster stopped with the server: %s", ForkedServer.postmasters(home)).isTrue();
        } finally {
            if (second != null) {
                second.close();
            }
            if (first != null) {
                first.close();
            }
            ForkedServer.killPostmasters(home);
            ForkedServer.deleteTree(dir);
        }
    }

    private static void startServeAndStop(ForkedServer.Launch launch) throws Exception {
        Path home = launch.home();
        ForkedServer server = ForkedServer.start(launch);
        try {
            assertThat(server.baseUrl()).as("base URL in banner\n%s", server.output())
                    .matches("http://localhost:\\d+/user/demo/");
            assertThat(server.baseUrl()).contains(":" + server.port() + "/");
            assertThat(server.port()).isPositive();
            assertThat(server.apiKey()).as("API key in banner").matches("[0-9a-f]{40}");

            for (String table : List.of("naturalearth_cities", "naturalearth_lowres")) {
                JsonNode r;
                try {
                    r = server.sql().send("SELECT count(*) AS n FROM " + table);
                } catch (RuntimeException e) {
                    throw new AssertionError("sample table " + table + " not queryable: " + e.getMessage()
                            + "\nserver output:\n" + server.output(), e);
                }
                assertThat(r.path("rows").get(0).path("n").asLong()).as("rows in %s", table).isPositive();
            }
            assertThat(ForkedServer.postmasters(home)).as("one postmaster on %s/pg", home).hasSize(1);

            assertThat(server.stop(Duration.ofSeconds(60))).as("server exits on SIGTERM\n%s", server.output()).isTrue();
            assertThat(ForkedServer.awaitNoPostmaster(home, Duration.ofSeconds(30)))
                    .as("no postmaster left on %s/pg: %s", home, ForkedServer.postmasters(home)).isTrue();
        } finally {
            server.close();
        }
    }

    // ---- non-root user plumbing -------------------------------------------------------------------------

    private static void ensureSystemUser(String name) throws IOException, InterruptedException {
        if (run("id", "-u", name) == 0) {
            return;
        }
        int rc = run("useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", name);
        // 9: the user exists (another run made it meanwhile)
        assertThat(rc == 0 || rc == 9).as("useradd %s exited %d", name, rc).isTrue();
    }

    private static int run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }

    private static void chown(Path path, String user) throws IOException {
        var lookup = FileSystems.getDefault().getUserPrincipalLookupService();
        UserPrincipal u = lookup.lookupPrincipalByName(user);
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
        view.setOwner(u);
        try {
            GroupPrincipal g = lookup.lookupPrincipalByGroupName(user);
            view.setGroup(g);
        } catch (IOException e) {
            // no group of that name: keep root's group
        }
    }
}
