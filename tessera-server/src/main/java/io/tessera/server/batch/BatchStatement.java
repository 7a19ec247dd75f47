package io.tessera.server.batch;

import io.tessera.server.jobs.JobConnection;
import io.tessera.server.jobs.JobContext;
import io.tessera.server.sql.SqlApiErrors;
import io.tessera.server.sql.SqlScript;
import io.tessera.server.sql.Watchdog;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Runs one query text of a Batch job in autocommit on a connection of the job's role (decisions: security 8),
 * statement by statement (so {@code BEGIN; …; COMMIT;} and {@code VACUUM} work), each tagged
 * {@code /* job_id *\/} as CARTO does. The timeout is enforced twice: {@code statement_timeout} words the
 * error as PostgreSQL does, and the watchdog cancels from outside in case the SQL changed that setting.
 */
final class BatchStatement {
    static final String TIMEOUT_REASON = "canceling statement due to statement timeout";
    private static final long WATCHDOG_GRACE_MS = 2_000;

    private final Watchdog watchdog;

    BatchStatement(Watchdog watchdog) {
        this.watchdog = watchdog;
    }

    /** Runs {@code sql}; returns null on success, else the failure reason to store. */
    String run(JobContext ctx, String sql, long timeoutMs) throws SQLException {
        String tag = "/* " + ctx.job().id() + " */ ";
        try (JobConnection c = ctx.connect();
             Watchdog.Guard guard = watchdog.guard(c.role(), timeoutMs + WATCHDOG_GRACE_MS);
             Statement s = c.jdbc().createStatement()) {
            try {
                s.execute("SET statement_timeout = " + timeoutMs);
                for (String statement : SqlScript.split(sql)) {
                    s.execute(tag + statement);
                }
                return null;
            } catch (SQLException e) {
                c.role().markBroken(); // whatever state the failed SQL left, do not pool it
                return guard.fired() ? TIMEOUT_REASON : SqlApiErrors.message(e);
            }
        }
    }
}
