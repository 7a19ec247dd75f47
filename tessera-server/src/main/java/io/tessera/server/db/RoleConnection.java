package io.tessera.server.db;

import java.sql.Connection;
import java.sql.SQLException;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pooled connection logged in as one key's role. Closing it rolls back and runs {@code DISCARD ALL}
 * before the connection goes back to its pool, so nothing a request SET (role, timeouts, temp tables,
 * prepared statements) reaches the next request. A connection whose statement was cancelled by the
 * watchdog is evicted instead, so a late cancel can never hit someone else's statement.
 */
public final class RoleConnection implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RoleConnection.class);

    private final Connection connection;
    private final RolePools pools;
    private final String role;
    private final java.util.concurrent.Semaphore gate;
    private boolean discard;
    private boolean closed;
    private boolean resetRole;
    private boolean sessionReset;

    RoleConnection(Connection connection, RolePools pools, String role, java.util.concurrent.Semaphore gate) {
        this.connection = connection;
        this.pools = pools;
        this.role = role;
        this.gate = gate;
    }

    public Connection jdbc() {
        return connection;
    }

    public PGConnection pg() throws SQLException {
        return connection.unwrap(PGConnection.class);
    }

    public String role() {
        return role;
    }

    /**
     * Commits the request's transaction and resets the session (DISCARD ALL) in one round trip, as the
     * request's last use of this connection: close() then has nothing left to run. Saves a round trip on every
     * SQL API request.
     */
    public void commitAndReset(java.util.function.Consumer<java.sql.SQLWarning> warnings) throws SQLException {
        SessionReset.run(connection, true, warnings);
        sessionReset = true;
    }

    /** Do not return this connection to the pool (it was cancelled, or is in an unknown state). */
    public void markBroken() {
        discard = true;
    }

    /** The request's SQL may have altered its own role (password, settings): restore them after use. */
    public void markRoleMayHaveChanged() {
        resetRole = true;
    }

    /**
     * Restores the role now if the request's SQL may have altered it; called before the response
     * completes, so the client's next request can never log in with what the SQL changed.
     */
    public void restoreRoleIfChanged() {
        if (!resetRole) {
            return;
        }
        resetRole = false;
        try {
            pools.admin().resetRole(role, pools.derivedPassword(role));
        } catch (SQLException e) {
            LOG.warn("could not reset role {}: {}", role, e.getMessage());
        }
    }

    @Override
    public void close() {
        if (closed) {
            return; // a second close must not hand back a second permit
        }
        closed = true;
        try {
            release();
        } finally {
            gate.release(); // the connection is back in (or out of) the pool: the next waiting request may take it
        }
    }

    private void release() {
        Connection raw = connection;
        if (!discard) {
            try {
                if (!sessionReset) {
                    // ROLLBACK (also of a transaction the request's own BEGIN left open) and DISCARD ALL, together
                    SessionReset.run(raw, false, w -> { });
                }
                raw.setAutoCommit(true); // the transaction has ended: no round trip
            } catch (SQLException e) {
                discard = true;
            }
        }
        restoreRoleIfChanged();
        if (discard) {
            pools.evict(this, raw);
        } else {
            try {
                raw.close();
            } catch (SQLException e) {
                LOG.debug("close failed", e);
            }
        }
    }
}
