package io.tessera.server.sql;

import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;

/**
 * Runs a script's statements on one connection (decisions: multi-statement {@code q}). Everything runs
 * in one transaction with a fetch size, so every result set streams through a cursor and
 * {@code INSERT …; SELECT 1/0} leaves nothing behind; the script's own BEGIN/COMMIT/ROLLBACK still
 * work (the driver opens a new transaction after them), and statements that cannot run inside a
 * transaction (VACUUM, … CONCURRENTLY) run in autocommit after committing what came before.
 */
public final class QueryRunner {
    private final int fetchSize;

    public QueryRunner(int fetchSize) {
        this.fetchSize = fetchSize;
    }

    /** Rows per cursor fetch. */
    public int fetchSize() {
        return fetchSize;
    }

    /** Receives each result set of the script, in order, and streams its rows. Returns the rows written. */
    @FunctionalInterface
    public interface RowConsumer {
        long consume(ResultSet rs, ResultColumns columns) throws SQLException, IOException;
    }

    /** What the script left: the last result's columns (null if it returned none) and CARTO's total_rows. */
    public record Outcome(ResultColumns lastColumns, long totalRows) {
    }

    /** How the script's transaction ends once every statement ran. */
    @FunctionalInterface
    public interface Commit {
        void commit(Connection c, Notices notices) throws SQLException;
    }

    /** Runs the script and commits, leaving the connection to its caller. */
    public Outcome run(Connection c, List<String> statements, Set<String> skip, Notices notices, RowConsumer consumer)
            throws SQLException, IOException {
        return run(c, statements, skip, notices, consumer, (conn, n) -> {
            conn.commit();
            n.collect(conn.getWarnings());
        });
    }

    /** Runs the script and ends it with {@code commit} (which may also reset the session, as its last use). */
    public Outcome run(Connection c, List<String> statements, Set<String> skip, Notices notices, RowConsumer consumer,
                       Commit commit) throws SQLException, IOException {
        c.setAutoCommit(false);
        long streamed = 0;
        long lastCount = 0;
        ResultColumns lastColumns = null;
        for (String sql : statements) {
            boolean noTx = cannotRunInTransaction(sql);
            if (noTx) {
                c.commit();
                c.setAutoCommit(true);
            }
            try (Statement st = c.createStatement()) {
                st.setFetchSize(fetchSize);
                boolean isResultSet = st.execute(sql);
                notices.collect(st.getWarnings());
                if (isResultSet) {
                    try (ResultSet rs = st.getResultSet()) {
                        lastColumns = ResultColumns.of(rs, skip);
                        lastCount = consumer.consume(rs, lastColumns);
                        streamed += lastCount;
                        notices.collect(rs.getWarnings());
                        notices.collect(st.getWarnings());
                    }
                } else {
                    lastColumns = null;
                    int n = st.getUpdateCount();
                    lastCount = Math.max(n, 0);
                }
            } finally {
                if (noTx) {
                    c.setAutoCommit(false);
                }
            }
            notices.collect(c.getWarnings());
            c.clearWarnings();
        }
        commit.commit(c, notices);
        // CARTO: result.rowCount || rows streamed
        return new Outcome(lastColumns, lastCount != 0 ? lastCount : streamed);
    }

    static boolean cannotRunInTransaction(String sql) {
        List<String> k = SqlScript.keywords(sql, 6);
        if (k.isEmpty()) {
            return false;
        }
        String first = k.get(0);
        if (first.equals("VACUUM") || (first.equals("CLUSTER") && k.size() == 1)) {
            return true;
        }
        if ((first.equals("CREATE") || first.equals("DROP")) && k.size() > 1
                && (k.get(1).equals("DATABASE") || k.get(1).equals("TABLESPACE"))) {
            return true;
        }
        if (first.equals("ALTER") && k.size() > 1 && k.get(1).equals("SYSTEM")) {
            return true;
        }
        return (first.equals("CREATE") || first.equals("DROP") || first.equals("REINDEX")) && k.contains("CONCURRENTLY");
    }
}
