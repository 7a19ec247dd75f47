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

    public Platform platform() {
        return TestPostgis.platform();
    }

    public Accounts.Created user() {
        return user;
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
