package io.tessera.it.forked;

import io.tessera.client.auth.ApiKeyAuthClient;
import io.tessera.client.sql.SqlClient;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A Tessera server in its own JVM: {@code io.tessera.dist.Main serve --port 0 --home DIR}, launched with this
 * test JVM's own java binary and classpath (no shaded jar needed), optionally as another system user through
 * {@code runuser}. It waits for the banner, parses the base URL and API key from it, and stops the JVM with
 * SIGTERM (then SIGKILL if it does not exit).
 */
public final class ForkedServer implements AutoCloseable {
    public static final String MAIN_CLASS = "io.tessera.dist.Main";
    private static final Pattern CLIENT_LINE = Pattern.compile("Client:\\s+base URL (\\S+)\\s+API key (\\S+)");
    private static final Pattern BROWSER_LINE = Pattern.compile("Browser:\\s+http://[^:/]+:(\\d+)/");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(150);

    private final Process process;
    private final Path home;
    private final Deque<String> tail = new ArrayDeque<>();
    private final CompletableFuture<Void> bannerSeen = new CompletableFuture<>();
    private volatile String baseUrl;
    private volatile String apiKey;
    private volatile int port = -1;

    private ForkedServer(Process process, Path home) {
        this.process = process;
        this.home = home;
        Thread pump = new Thread(this::pump, "forked-tessera-output-" + process.pid());
        pump.setDaemon(true);
        pump.start();
    }

    /** Options for one launch. */
    public record Launch(Path home, List<String> jvmArgs, Map<String, String> env, String runAsUser, String classpath) {
        public static Launch of(Path home) {
            Map<String, String> env = new LinkedHashMap<>();
            env.put("TESSERA_DURABLE", "false");
            return new Launch(home, List.of("-Xmx256m"), env, null, snapshotClasspath());
        }

        public Launch withJvmArgs(String... args) {
            return new Launch(home, List.of(args), env, runAsUser, classpath);
        }

        public Launch withEnv(String name, String value) {
            Map<String, String> e = new LinkedHashMap<>(env);
            e.put(name, value);
            return new Launch(home, jvmArgs, e, runAsUser, classpath);
        }

        public Launch asUser(String user) {
            return new Launch(home, jvmArgs, env, user, classpath);
        }
    }

    private static String snapshot;

    /**
     * A copy of this JVM's classpath ({@code java.class.path}) in a world-readable directory under /tmp, made once
     * per test JVM and deleted at exit: the forked server then neither sees jars being rebuilt meanwhile nor needs
     * read access to /root/.m2 when it runs as another user.
     */
    public static synchronized String snapshotClasspath() {
        if (snapshot == null) {
            try {
                Path dir = tempDir("tessera-it-cp-");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
                snapshot = copyClasspath(dir);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("cannot copy the test classpath", e);
            }
        }
        return snapshot;
    }

    /** Copies every classpath entry under {@code target} with world-readable permissions; returns the new classpath. */
    private static String copyClasspath(Path target) throws IOException {
        Files.createDirectories(target);
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<String> entries = new ArrayList<>();
        int i = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (entry.isBlank()) {
                continue;
            }
            Path src = Path.of(entry);
            if (Files.isRegularFile(src)) {
                Path dst = target.resolve((i++) + "-" + src.getFileName());
                Files.copy(src, dst, StandardCopyOption.REPLACE_EXISTING);
                Files.setPosixFilePermissions(dst, PosixFilePermissions.fromString("rw-r--r--"));
                entries.add(dst.toString());
            } else if (Files.isDirectory(src)) {
                Path dst = target.resolve((i++) + "-dir");
                copyTree(src, dst);
                entries.add(dst.toString());
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    private static void copyTree(Path src, Path dst) throws IOException {
        try (Stream<Path> walk = Files.walk(src)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path d = dst.resolve(src.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(d);
                    Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
                } else {
                    Files.copy(p, d, StandardCopyOption.REPLACE_EXISTING);
                    Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rw-r--r--"));
                }
            }
        }
    }

    /** The java binary running this test, so the server runs on the same JDK. */
    public static String javaBinary() {
        return ProcessHandle.current().info().command()
                .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    public static ForkedServer start(Launch launch) throws IOException {
        List<String> cmd = new ArrayList<>();
        if (launch.runAsUser() != null) {
            // runuser may reset parts of the environment: pass the settings explicitly through env(1).
            cmd.addAll(List.of("runuser", "-u", launch.runAsUser(), "--", "env"));
            launch.env().forEach((k, v) -> cmd.add(k + "=" + v));
            cmd.add("HOME=" + launch.home());
        }
        cmd.add(javaBinary());
        cmd.addAll(launch.jvmArgs());
        if (launch.runAsUser() != null) {
            cmd.add("-Duser.home=" + launch.home());
        }
        cmd.addAll(List.of("-cp", launch.classpath(), MAIN_CLASS, "serve", "--port", "0", "--home", launch.home().toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        // Inherited settings must not leak in; the launch's own (e.g. TESSERA_DATABASE_URL for a second node) do.
        pb.environment().remove("TESSERA_HOME");
        pb.environment().remove("TESSERA_PORT");
        pb.environment().remove("TESSERA_DATABASE_URL");
        pb.environment().putAll(launch.env());
        ForkedServer s = new ForkedServer(pb.start(), launch.home());
        try {
            s.awaitBanner();
        } catch (IOException | RuntimeException | Error e) {
            s.close();
            throw e;
        }
        return s;
    }

    private void pump() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                synchronized (tail) {
                    tail.addLast(line);
                    if (tail.size() > 300) {
                        tail.removeFirst();
                    }
                }
                Matcher m = CLIENT_LINE.matcher(line);
                if (m.find()) {
                    baseUrl = m.group(1);
                    apiKey = m.group(2);
                }
                Matcher b = BROWSER_LINE.matcher(line);
                if (b.find()) {
                    port = Integer.parseInt(b.group(1));
                }
                if (line.trim().startsWith("Data:") && port > 0) {
                    bannerSeen.complete(null);
                }
            }
        } catch (IOException e) {
            // the process went away; handled by the waiter
        } finally {
            bannerSeen.completeExceptionally(new IOException("server output ended before the banner"));
        }
    }

    private void awaitBanner() throws IOException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            try {
                bannerSeen.get(200, TimeUnit.MILLISECONDS);
                return;
            } catch (TimeoutException e) {
                if (!process.isAlive()) {
                    throw new IOException("forked server exited with " + process.exitValue() + " before its banner:\n" + output());
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException("no banner from the forked server within " + START_TIMEOUT + ":\n" + output());
                }
            } catch (ExecutionException e) {
                try {
                    process.waitFor(5, TimeUnit.SECONDS);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                }
                throw new IOException("forked server " + (process.isAlive() ? "closed its output" : "exited with "
                        + process.exitValue()) + " before its banner:\n" + output());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted waiting for the banner", e);
            }
        }
    }

    /** The last lines the server printed, for failure messages. */
    public String output() {
        synchronized (tail) {
            return String.join("\n", tail);
        }
    }

    public Process process() {
        return process;
    }

    public Path home() {
        return home;
    }

    public int port() {
        return port;
    }

    /** The demo user's base URL from the banner, or null when the banner had no Client line. */
    public String baseUrl() {
        return baseUrl;
    }

    public String apiKey() {
        return apiKey;
    }

    public SqlClient sql() {
        return sql(baseUrl, apiKey);
    }

    public static SqlClient sql(String baseUrl, String key) {
        return new SqlClient(new ApiKeyAuthClient(baseUrl, key));
    }

    /** SIGTERM, then waits up to {@code timeout}; returns whether the JVM exited. */
    public boolean stop(Duration timeout) throws InterruptedException {
        process.destroy();
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** SIGKILL the JVM (its postmaster, a separate daemon, is left running) and wait for it to go. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Stops the JVM (SIGTERM, then SIGKILL), then any postmaster still serving this home's data directory. */
    @Override
    public void close() {
        try {
            if (process.isAlive() && !stop(Duration.ofSeconds(45))) {
                process.destroyForcibly();
                process.waitFor(15, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        killPostmasters(home);
    }

    // ---- processes and files ---------------------------------------------------------------------------

    /** The pids of postgres processes whose command line names {@code home/pg} (postmasters, not backends). */
    public static List<Long> postmasters(Path home) {
        String pgDir = home.resolve("pg").toString();
        List<Long> pids = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) procs::iterator) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                String[] argv;
                try {
                    argv = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8).split("\0");
                } catch (IOException e) {
                    continue; // gone meanwhile
                }
                if (argv.length == 0 || !(argv[0].endsWith("/postgres") || argv[0].equals("postgres"))) {
                    continue;
                }
                for (String a : argv) {
                    if (a.equals(pgDir) || a.equals(pgDir + "/")) {
                        pids.add(Long.parseLong(name));
                        break;
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc", e);
        }
        return pids;
    }

    /** Waits until no postmaster serves {@code home}; returns whether that happened within {@code timeout}. */
    public static boolean awaitNoPostmaster(Path home, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!postmasters(home).isEmpty()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(200);
        }
        return true;
    }

    /** Best-effort cleanup: SIGQUIT (immediate shutdown) then SIGKILL for postmasters left on {@code home}. */
    public static void killPostmasters(Path home) {
        List<Long> pids = postmasters(home);
        if (pids.isEmpty()) {
            return;
        }
        for (long pid : pids) {
            try {
                new ProcessBuilder("kill", "-QUIT", Long.toString(pid)).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(10, TimeUnit.SECONDS);
            } catch (IOException e) {
                // fall through to SIGKILL
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            if (!awaitNoPostmaster(home, Duration.ofSeconds(15))) {
                for (long pid : postmasters(home)) {
                    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                }
                awaitNoPostmaster(home, Duration.ofSeconds(10));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A fresh, empty directory under /tmp (which the {@code postgres} system user can traverse, unlike the
     * build tree or /root), world-traversable itself.
     */
    public static Path tempDir(String prefix) throws IOException {
        Path base = Files.isDirectory(Path.of("/tmp")) ? Path.of("/tmp") : Path.of(System.getProperty("java.io.tmpdir"));
        Path dir = Files.createTempDirectory(base, prefix);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        return dir;
    }

    /** Deletes {@code dir} recursively, best effort (call after the processes using it are gone). */
    public static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // best effort
                }
            });
        } catch (IOException e) {
            // best effort
        }
    }

    public static boolean isRoot() {
        try {
            return new com.sun.security.auth.module.UnixSystem().getUid() == 0;
        } catch (Throwable e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }
}
