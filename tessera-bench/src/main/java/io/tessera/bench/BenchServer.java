package io.tessera.bench;

import io.tessera.server.TesseraServer;
import io.tessera.server.auth.Accounts;
import io.tessera.server.db.Platform;
import io.tessera.server.testing.TestPostgis;

/**
 * A real Tessera server on port 0 over a fresh embedded PostGIS cluster (the test fixture's, fsync off), plus a
 * user to benchmark as. Peers (psql, pgbench, ogr2ogr) reach the same cluster through {@code platform().endpoint()}
 * with the admin credentials, or as the user's own role with {@code platform().rolePassword(role)}.
 */
public final class BenchServer implements AutoCloseable {
    private final TesseraServer server;
    private final Accounts.Created user;

    private BenchServer(TesseraServer server, Accounts.Created user) {
        this.server = server;
        this.user = user;
    }

    public static BenchServer start(String userPrefix) {
        TesseraServer server = TesseraServer.startOn(TestPostgis.config(), TestPostgis.platform());
        return new BenchServer(server, TestPostgis.newUser(userPrefix));
    }

    /** As {@link #start(String)}, with the user's SQL API wall-clock limit raised (long exports). */
    public static BenchServer start(String userPrefix, int sqlTimeoutMs) {
        TesseraServer server = TesseraServer.startOn(TestPostgis.config(), TestPostgis.platform());
        return new BenchServer(server, TestPostgis.newUser(userPrefix, sqlTimeoutMs));
    }

    public Platform platform() {
        return TestPostgis.platform();
    }

    public Accounts.Created user() {
        return user;
    }

    /** The PID of the cluster's postmaster (the parent of every backend), for CPU accounting. */
    public long postmasterPid() throws java.sql.SQLException, java.io.IOException {
        try (var c = platform().admin().dataSource().getConnection(); var st = c.createStatement();
             var rs = st.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + rs.getInt(1) + "/stat"));
            return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[1]);
        }
    }

    /**
     * Where peer tools (psql, pgbench, MapServer, Mapnik) reach the cluster: its Unix-domain socket directory when it
     * has one, as Tessera's own key roles do, so no peer pays TCP loopback that Tessera does not. (P4's ogr2ogr peer
     * keeps TCP, as Tessera's own ogr2ogr runs do.)
     */
    public static io.tessera.server.db.DatabaseEndpoint peerEndpoint(Platform platform) {
        var e = platform.endpoint();
        return platform.socketFile()
                .map(s -> new io.tessera.server.db.DatabaseEndpoint(s.getParent().toString(), e.port(), e.database(),
                        e.adminUser(), e.adminPassword()))
                .orElse(e);
    }

    /** libpq environment for a peer tool logging in as the user's owner role (the master key's role). */
    public java.util.Map<String, String> ownerEnv() {
        var e = peerEndpoint(platform());
        String role = user.user().ownerRole();
        return java.util.Map.of("PGHOST", e.host(), "PGPORT", Integer.toString(e.port()), "PGDATABASE", e.database(),
                "PGUSER", role, "PGPASSWORD", platform().rolePassword(role));
    }

    /** {@code http://127.0.0.1:PORT/user/NAME/}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.port() + "/user/" + user.user().username() + "/";
    }

    @Override
    public void close() {
        server.close();
    }
}
