package io.tessera.server.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.util.function.Consumer;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.Query;
import org.postgresql.core.QueryExecutor;
import org.postgresql.core.ResultHandlerBase;
import org.postgresql.core.TransactionState;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;

/**
 * Ends a connection's transaction and runs {@code DISCARD ALL} (decisions: security 4) in one round trip.
 * {@code DISCARD ALL} refuses to run inside a transaction block, so it cannot share a query string or an
 * extended-protocol pipeline with the {@code COMMIT}; but two simple-protocol queries sent back to back are
 * two top-level statements, each ending in its own ReadyForQuery. The driver sends a statement list that
 * way (one Query message each, read back in order) when asked to execute as simple, so the COMMIT and the
 * reset travel together instead of costing a round trip each. JDBC has no such call: this goes through the
 * driver's query executor.
 */
final class SessionReset {
    private static final int FLAGS = QueryExecutor.QUERY_EXECUTE_AS_SIMPLE | QueryExecutor.QUERY_SUPPRESS_BEGIN;

    private SessionReset() {
    }

    /**
     * Ends the transaction, if one is open ({@code commit}: COMMIT, refused if the server rolled back instead;
     * otherwise ROLLBACK), then DISCARD ALL. Warnings (a COMMIT's notices) go to {@code warnings}.
     */
    static void run(Connection raw, boolean commit, Consumer<SQLWarning> warnings) throws SQLException {
        BaseConnection base = raw.unwrap(BaseConnection.class);
        boolean open = base.getTransactionState() != TransactionState.IDLE;
        String end = commit ? "COMMIT" : "ROLLBACK";
        QueryExecutor executor = base.getQueryExecutor();
        Query query = executor.createSimpleQuery(open ? end + ";DISCARD ALL" : "DISCARD ALL");
        Handler handler = new Handler(warnings);
        executor.execute(query, null, handler, 0, 0, FLAGS);
        handler.handleCompletion();
        if (open && commit && "ROLLBACK".equals(handler.firstStatus)) {
            throw new PSQLException("The database returned ROLLBACK, so the transaction cannot be committed",
                    PSQLState.IN_FAILED_SQL_TRANSACTION);
        }
        if (base.getTransactionState() != TransactionState.IDLE || !"DISCARD ALL".equals(handler.lastStatus)) {
            throw new PSQLException("the session was not reset", PSQLState.UNEXPECTED_ERROR);
        }
    }

    private static final class Handler extends ResultHandlerBase {
        private final Consumer<SQLWarning> warnings;
        private String firstStatus;
        private String lastStatus;

        Handler(Consumer<SQLWarning> warnings) {
            this.warnings = warnings;
        }

        @Override
        public void handleCommandStatus(String status, long updateCount, long insertOID) {
            if (firstStatus == null) {
                firstStatus = status;
            }
            lastStatus = status;
        }

        @Override
        public void handleWarning(SQLWarning warning) {
            warnings.accept(warning);
        }
    }
}
