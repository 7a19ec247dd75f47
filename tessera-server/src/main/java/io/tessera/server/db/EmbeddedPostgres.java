package io.tessera.server.db;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A private PostgreSQL + PostGIS cluster that Tessera starts and owns: {@code initdb} into
 * {@code <home>/pg} on first use, {@code pg_ctl start} on a free 127.0.0.1 port with scram-sha-256 for
 * every role, stopped with the server. As root the cluster runs as the {@code postgres} system user.
 * A postmaster left alive by a killed server is stopped and started afresh, never duplicated; a lock
 * file keeps two servers off one home. The same class is the test fixture.
 */
public final class EmbeddedPostgres implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgres.class);
    public static final String ADMIN_USER = "tessera_admin";
    public static final String DATABASE = "tessera";
    private static final int MAX_SOCKET_PATH = 100;

    /** How to run the cluster. {@code durable=false} turns fsync off (tests only). */
    public record Options(Path home, int port, boolean durable, int maxConnections, String pgBinOverride) {
        public Options {
            if (maxConnections < 20) {
                throw new IllegalArgumentException("maxConnections must be at least 20");
            }
        }
    }

    private final Options options;
    private final Path pgData;
    private final ProcessRunner runner;
    private final PgBinaries bin;
    private final String systemUser;
    private FileChannel lockChannel;
    private FileLock lock;
    private DatabaseEndpoint endpoint;
    private boolean running;

    private EmbeddedPostgres(Options options) {
        this.options = options;
        this.pgData = options.home().resolve("pg");
        this.systemUser = isRoot() ? "postgres" : null;
        this.runner = new ProcessRunner(systemUser);
        this.bin = PgBinaries.locate(options.pgBinOverride());
    }

    /** Initialises (if needed) and starts the cluster, then makes sure database {@code tessera} and PostGIS exist. */
    public static EmbeddedPostgres start(Options options) throws IOException {
        EmbeddedPostgres pg = new EmbeddedPostgres(options);
        pg.doStart();
        return pg;
    }

    public DatabaseEndpoint endpoint() {
        return endpoint;
    }

    public Path dataDirectory() {
        return pgData;
    }

    public static boolean isRoot() {
        try {
            return new com.sun.security.auth.module.UnixSystem().getUid() == 0;
        } catch (Throwable e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    private void doStart() throws IOException {
        Path home = options.home();
        Files.createDirectories(home);
        if (systemUser != null) {
            // The postgres user must be able to traverse home to reach its data directory.
            Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx--x--x"));
        }
        acquireLock(home);
        Secrets secrets = Secrets.loadOrCreate(home.resolve("secrets.properties"));
        if (!Files.exists(pgData.resolve("PG_VERSION"))) {
            initdb(secrets);
        }
        stopOrphan();
        int port = options.port() > 0 ? options.port() : freePort();
        writeSettings(port);
        Path log = pgData.resolve("server.log");
        ProcessRunner.Result r = runner.run(List.of(bin.pgCtl().toString(), "-D", pgData.toString(), "-l", log.toString(),
                "-w", "-t", "120", "start"), Map.of(), pgData, 180);
        if (!r.ok()) {
            throw new IOException("pg_ctl start failed (" + r.exitCode() + "): " + r.output() + "\n" + tail(log));
        }
        running = true;
        endpoint = new DatabaseEndpoint("127.0.0.1", port, DATABASE, ADMIN_USER, secrets.adminPassword());
        ensureDatabase();
        LOG.info("Embedded PostgreSQL ({}) running on 127.0.0.1:{}, data in {}", bin.binDir(), port, pgData);
    }

    private void initdb(Secrets secrets) throws IOException {
        if (Files.exists(pgData)) {
            deleteTree(pgData); // a half-made directory from an interrupted initdb
        }
        Files.createDirectories(pgData);
        Files.setPosixFilePermissions(pgData, PosixFilePermissions.fromString("rwx------"));
        Path pwFile = options.home().resolve(".initdb-pw");
        Files.deleteIfExists(pwFile);
        Files.createFile(pwFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(pwFile, secrets.adminPassword() + "\n");
        try {
            chownToClusterUser(pgData);
            chownToClusterUser(pwFile);
            List<String> cmd = new ArrayList<>(List.of(bin.initdb().toString(), "-D", pgData.toString(), "-U", ADMIN_USER,
                    "--auth=scram-sha-256", "--pwfile=" + pwFile, "-E", "UTF8", "--no-locale"));
            if (!options.durable()) {
                cmd.add("--no-sync");
            }
            ProcessRunner.Result r = runner.run(cmd, Map.of(), pgData, 300);
            if (!r.ok()) {
                throw new IOException("initdb failed (" + r.exitCode() + "): " + r.output());
            }
        } finally {
            Files.deleteIfExists(pwFile);
        }
        // Only 127.0.0.1 and the private socket, scram-sha-256 for every role: no trust anywhere.
        writeAsClusterUser(pgData.resolve("pg_hba.conf"), """
                # Written by Tessera: scram-sha-256 for every role, loopback only.
                local all all scram-sha-256
                host  all all 127.0.0.1/32 scram-sha-256
                """);
        Path conf = pgData.resolve("postgresql.conf");
        Files.writeString(conf, "\ninclude_if_exists = 'tessera.conf'\n", StandardOpenOption.APPEND);
    }

    /**
     * The cluster's Unix-domain socket file, when it has one (the data directory's path is short enough for a socket
     * path and the server created it): key roles' pools connect through it.
     */
    public java.util.Optional<Path> socketFile() {
        if (!socketFits() || endpoint == null) {
            return java.util.Optional.empty();
        }
        Path socket = pgData.resolve(".s.PGSQL." + endpoint.port());
        return Files.exists(socket) ? java.util.Optional.of(socket) : java.util.Optional.empty();
    }

    /** Whether a socket in the data directory fits a socket path; if not, the cluster gets none. */
    private boolean socketFits() {
        return pgData.toString().length() + 20 < MAX_SOCKET_PATH;
    }

    private void writeSettings(int port) throws IOException {
        String socketDir = socketFits() ? pgData.toString() : "";
        StringBuilder s = new StringBuilder("# Rewritten by Tessera at every start.\n")
                .append("listen_addresses = '127.0.0.1'\n")
                .append("port = ").append(port).append('\n')
                .append("unix_socket_directories = '").append(socketDir).append("'\n")
                .append("max_connections = ").append(options.maxConnections()).append('\n')
                .append("password_encryption = 'scram-sha-256'\n")
                .append("shared_buffers = '128MB'\n")
                .append("timezone = 'UTC'\n")
                .append("log_timezone = 'UTC'\n")
                .append("log_min_messages = warning\n")
                .append("log_min_error_statement = panic\n"); // user SQL (and its literals) stays out of the log
        if (!options.durable()) {
            s.append("fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n");
        }
        writeAsClusterUser(pgData.resolve("tessera.conf"), s.toString());
    }

    /** A postmaster still running here belongs to a server that died (we hold the home lock): stop it. */
    private void stopOrphan() throws IOException {
        if (!Files.exists(pgData.resolve("postmaster.pid"))) {
            return;
        }
        ProcessRunner.Result status = runner.run(List.of(bin.pgCtl().toString(), "-D", pgData.toString(), "status"),
                Map.of(), pgData, 30);
        if (status.exitCode() == 0) {
            LOG.warn("Stopping a PostgreSQL left running by an earlier Tessera process in {}", pgData);
            ProcessRunner.Result stop = runner.run(List.of(bin.pgCtl().toString(), "-D", pgData.toString(), "-m", "fast",
                    "-w", "-t", "60", "stop"), Map.of(), pgData, 90);
            if (!stop.ok()) {
                throw new IOException("could not stop the orphaned postmaster: " + stop.output());
            }
        }
    }

    private void ensureDatabase() throws IOException {
        Properties props = new Properties();
        props.setProperty("user", endpoint.adminUser());
        props.setProperty("password", endpoint.adminPassword());
        try (Connection c = DriverManager.getConnection(endpoint.jdbcUrl("postgres"), props)) {
            boolean exists;
            try (var rs = c.createStatement().executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
                exists = rs.next();
            }
            if (!exists) {
                c.createStatement().execute("CREATE DATABASE " + DATABASE);
            }
        } catch (SQLException e) {
            throw new IOException("cannot prepare database " + DATABASE + ": " + e.getMessage(), e);
        }
    }

    /** Stops the cluster ({@code pg_ctl stop -m fast}) and releases the home lock. */
    @Override
    public synchronized void close() {
        if (running) {
            running = false;
            try {
                ProcessRunner.Result r = runner.run(List.of(bin.pgCtl().toString(), "-D", pgData.toString(), "-m", "fast",
                        "-w", "-t", "60", "stop"), Map.of(), pgData, 90);
                if (!r.ok()) {
                    LOG.warn("pg_ctl stop: {}", r.output().strip());
                }
            } catch (IOException e) {
                LOG.warn("pg_ctl stop failed", e);
            }
        }
        try {
            if (lock != null) {
                lock.release();
                lockChannel.close();
                lock = null;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void acquireLock(Path home) throws IOException {
        lockChannel = FileChannel.open(home.resolve("tessera.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        lock = lockChannel.tryLock();
        if (lock == null) {
            lockChannel.close();
            throw new InUseException(home);
        }
    }

    private void writeAsClusterUser(Path file, String content) throws IOException {
        Files.writeString(file, content, StandardCharsets.UTF_8);
        chownToClusterUser(file);
    }

    private void chownToClusterUser(Path p) throws IOException {
        if (systemUser == null) {
            return;
        }
        UserPrincipalLookupService lookup = p.getFileSystem().getUserPrincipalLookupService();
        Files.setOwner(p, lookup.lookupPrincipalByName(systemUser));
        Files.getFileAttributeView(p, java.nio.file.attribute.PosixFileAttributeView.class)
                .setGroup(lookup.lookupPrincipalByGroupName(systemUser));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    /** Another Tessera process owns the cluster in this home. */
    public static final class InUseException extends IOException {
        public InUseException(Path home) {
            super("another Tessera server is using " + home + " (it holds tessera.lock)");
        }
    }

    /**
     * The endpoint of a cluster another Tessera process is running in {@code home} (for admin verbs run
     * beside a server): the port comes from {@code postmaster.pid}, the password from the secrets file.
     */
    public static DatabaseEndpoint attach(Path home) throws IOException {
        Path pid = home.resolve("pg").resolve("postmaster.pid");
        if (!Files.exists(pid)) {
            throw new IOException("no running cluster in " + home);
        }
        List<String> lines = Files.readAllLines(pid);
        if (lines.size() < 4) {
            throw new IOException("cannot read the port from " + pid);
        }
        int port = Integer.parseInt(lines.get(3).trim());
        Secrets secrets = Secrets.loadOrCreate(home.resolve("secrets.properties"));
        return new DatabaseEndpoint("127.0.0.1", port, DATABASE, ADMIN_USER, secrets.adminPassword());
    }

    /** Removes a directory tree (test homes, half-made data directories). */
    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
