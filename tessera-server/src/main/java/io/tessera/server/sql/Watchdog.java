package io.tessera.server.sql;

import io.tessera.server.db.RoleConnection;
import io.tessera.server.db.Timeouts;
import java.sql.SQLException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enforces a request's wall-clock limit from outside the query: when it lapses, the running statement
 * is cancelled through the driver's cancel request (a setting the SQL could change is only a
 * backstop). A connection that was cancelled never goes back to its pool, so a late cancel cannot
 * reach the next request's statement.
 */
public final class Watchdog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Watchdog.class);
    // A request's limit is cancelled as soon as it ends.
    private final ScheduledExecutorService timer = Timeouts.timer("sql-watchdog");

    /** One request's limit; close it when the request's database work is over. */
    public final class Guard implements AutoCloseable {
        private final RoleConnection connection;
        private final ScheduledFuture<?> task;
        private final AtomicBoolean fired = new AtomicBoolean();
        private final AtomicBoolean closed = new AtomicBoolean();

        private Guard(RoleConnection connection, long timeoutMs) {
            this.connection = connection;
            this.task = timer.schedule(this::fire, timeoutMs, TimeUnit.MILLISECONDS);
        }

        // Synchronized with close(): once close() returns, no cancel can be sent for this connection.
        private synchronized void fire() {
            if (closed.get()) {
                return;
            }
            fired.set(true);
            connection.markBroken();
            try {
                connection.pg().cancelQuery();
            } catch (SQLException e) {
                LOG.warn("cancel failed: {}", e.getMessage());
            }
        }

        /** True if the limit lapsed and the statement was cancelled. */
        public boolean fired() {
            return fired.get();
        }

        @Override
        public synchronized void close() {
            closed.set(true);
            task.cancel(false);
        }
    }

    public Guard guard(RoleConnection connection, long timeoutMs) {
        return new Guard(connection, timeoutMs);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
