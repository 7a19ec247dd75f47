package io.tessera.server.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One small connection pool per PostgreSQL login role, created on demand and closed when idle, with a
 * cap on the number of pools (decisions: security 4). User SQL only ever runs on a connection that
 * authenticated as the key's own role: there is no privileged pool and no SET ROLE.
 */
public final class RolePools implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RolePools.class);
    private static final String INVALID_PASSWORD = "28P01";
    private static final long CONNECTION_TIMEOUT_MS = 15_000;

    /** Limits for the pools: connections per role, number of role pools alive at once. */
    public record Limits(int connectionsPerRole, int maxPools) {
    }

    private final DatabaseEndpoint endpoint;
    private final RolePasswords passwords;
    private final AdminDatabase admin;
    private final Limits limits;
    private final RoleSettingsGuard settings;
    // Access order: the eldest entry is the least recently used pool.
    private final LinkedHashMap<String, HikariDataSource> pools = new LinkedHashMap<>(16, 0.75f, true);
    private final Map<String, Semaphore> gates = new ConcurrentHashMap<>();
    private final java.util.Optional<java.nio.file.Path> socket;

    /** {@code socket}: the cluster's Unix-domain socket file, which key roles connect through instead of TCP. */
    public RolePools(DatabaseEndpoint endpoint, RolePasswords passwords, AdminDatabase admin, Limits limits,
                     java.util.Optional<java.nio.file.Path> socket) {
        this.socket = socket;
        this.endpoint = endpoint;
        this.passwords = passwords;
        this.admin = admin;
        this.limits = limits;
        this.settings = new RoleSettingsGuard(admin);
    }

    /**
     * A connection logged in as {@code role}. If the role's password was changed by its own SQL, it is reset and
     * retried once. Requests take the role's connections in arrival order: a fair gate with one permit per
     * connection stands in front of the pool, because the pool itself lets a newcomer take a connection that was
     * just returned ahead of the requests already waiting, which under load left a few of them waiting for many
     * turns (P1's p99 was six times its median).
     */
    public RoleConnection connect(String role) throws SQLException {
        Semaphore gate = gates.computeIfAbsent(role, r -> new Semaphore(limits.connectionsPerRole(), true));
        try {
            if (!gate.tryAcquire(CONNECTION_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                throw new PSQLException("no connection for role " + role + " became free in time", PSQLState.CONNECTION_UNABLE_TO_CONNECT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PSQLException("interrupted while waiting for a connection", PSQLState.CONNECTION_UNABLE_TO_CONNECT, e);
        }
        try {
            return new RoleConnection(pooled(role), this, role, gate);
        } catch (SQLException | RuntimeException e) {
            gate.release();
            throw e;
        }
    }

    /** The Unix-domain socket file key roles connect through; empty: TCP. */
    public java.util.Optional<java.nio.file.Path> socket() {
        return socket;
    }

    /** Requests waiting for one of {@code role}'s connections right now. */
    public int waiting(String role) {
        Semaphore gate = gates.get(role);
        return gate == null ? 0 : gate.getQueueLength();
    }

    private Connection pooled(String role) throws SQLException {
        Connection raw;
        try {
            raw = pool(role).getConnection();
        } catch (SQLException e) {
            if (!isInvalidPassword(e)) {
                throw e;
            }
            LOG.warn("Role {} failed to log in; resetting its derived password", role);
            admin.resetRolePassword(role, passwords.passwordFor(role));
            raw = pool(role).getConnection();
        }
        if (!settings.verify(role, raw)) {
            evictRaw(role, raw); // it started with the altered defaults
            raw = pool(role).getConnection();
            if (!settings.verify(role, raw)) {
                evictRaw(role, raw);
                throw new PSQLException("role " + role + " keeps changing its settings", PSQLState.CONNECTION_REJECTED);
            }
        }
        return raw;
    }

    private synchronized HikariDataSource pool(String role) throws SQLException {
        HikariDataSource ds = pools.get(role);
        if (ds != null) {
            return ds;
        }
        if (pools.size() >= limits.maxPools()) {
            evictIdlePool();
        }
        HikariConfig c = new HikariConfig();
        c.setPoolName("role-" + role);
        c.setJdbcUrl(endpoint.jdbcUrl());
        c.setUsername(role);
        c.setPassword(passwords.passwordFor(role));
        c.setMaximumPoolSize(limits.connectionsPerRole());
        c.setMinimumIdle(0);
        c.setIdleTimeout(60_000);
        c.setMaxLifetime(30 * 60_000);
        c.setConnectionTimeout(CONNECTION_TIMEOUT_MS);
        c.setInitializationFailTimeout(-1);
        c.addDataSourceProperty("ApplicationName", "tessera");
        c.addDataSourceProperty("tcpKeepAlive", "true");
        socket.ifPresent(path -> {
            c.addDataSourceProperty("socketFactory", UnixSocketFactory.class.getName());
            c.addDataSourceProperty("socketFactoryArg", path.toString());
        });
        ds = new HikariDataSource(c);
        pools.put(role, ds);
        return ds;
    }

    private void evictIdlePool() throws SQLException {
        for (Map.Entry<String, HikariDataSource> e : pools.entrySet()) {
            var mx = e.getValue().getHikariPoolMXBean();
            if (mx == null || mx.getActiveConnections() == 0) {
                pools.remove(e.getKey());
                gates.remove(e.getKey());
                e.getValue().close();
                return;
            }
        }
        throw new PSQLException("too many concurrent database roles in use; try again shortly", PSQLState.CONNECTION_REJECTED);
    }

    /**
     * Before roles are dropped: closes their pools, refuses new sessions (NOLOGIN, committed) and ends the live
     * ones, so nothing still runs as them. {@code c} is an admin connection in autocommit mode.
     */
    public void endSessions(Connection c, Collection<String> roles) throws SQLException {
        roles.forEach(this::closePool);
        try (Statement s = c.createStatement()) {
            for (String r : roles) {
                s.execute("ALTER ROLE " + AdminDatabase.quoteIdent(r) + " NOLOGIN");
            }
        }
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = ANY (?)")) {
            ps.setArray(1, c.createArrayOf("text", roles.toArray()));
            ps.executeQuery().close();
        }
    }

    /** Closes the pool of a role (before its role is dropped or its key regenerated). */
    public synchronized void closePool(String role) {
        HikariDataSource ds = pools.remove(role);
        gates.remove(role); // a connection still out hands its permit back to the gate it came through
        if (ds != null) {
            ds.close();
        }
    }

    void evict(RoleConnection c, Connection raw) {
        evictRaw(c.role(), raw);
    }

    private void evictRaw(String role, Connection raw) {
        HikariDataSource ds;
        synchronized (this) {
            ds = pools.get(role);
        }
        if (ds != null) {
            ds.evictConnection(raw);
        } else {
            try {
                raw.close();
            } catch (SQLException ignored) {
                // already gone
            }
        }
    }

    AdminDatabase admin() {
        return admin;
    }

    String derivedPassword(String role) {
        return passwords.passwordFor(role);
    }

    private static boolean isInvalidPassword(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && Objects.equals(s.getSQLState(), INVALID_PASSWORD)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public synchronized void close() {
        pools.values().forEach(HikariDataSource::close);
        pools.clear();
    }
}
