package io.tessera.server.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * The admin connection pool: metadata, account administration and role maintenance. Never used for
 * user SQL, nor for any helper query of a user request (decisions: security 5).
 */
public final class AdminDatabase implements AutoCloseable {
    private final HikariDataSource ds;
    private final int defaultSqlTimeoutMs;

    public AdminDatabase(DatabaseEndpoint endpoint, int defaultSqlTimeoutMs) {
        HikariConfig c = new HikariConfig();
        c.setPoolName("admin");
        c.setJdbcUrl(endpoint.jdbcUrl());
        c.setUsername(endpoint.adminUser());
        c.setPassword(endpoint.adminPassword());
        c.setMaximumPoolSize(6);
        c.setMinimumIdle(1);
        c.addDataSourceProperty("ApplicationName", "tessera-admin");
        this.ds = new HikariDataSource(c);
        this.defaultSqlTimeoutMs = defaultSqlTimeoutMs;
    }

    public DataSource dataSource() {
        return ds;
    }

    public int defaultSqlTimeoutMs() {
        return defaultSqlTimeoutMs;
    }

    public void resetRolePassword(String role, String password) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("ALTER ROLE " + quoteIdent(role) + " PASSWORD " + quoteLiteral(password));
        }
    }

    /**
     * Puts a key role back to exactly what Tessera gave it: password, search_path, timeouts. Undoes
     * {@code ALTER ROLE CURRENT_USER …} run by the role's own SQL (decisions: security 3).
     */
    public void resetRole(String role, String password) throws SQLException {
        try (Connection c = ds.getConnection()) {
            String schema = null;
            Integer timeout = null;
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT u.schema_name, u.sql_timeout_ms FROM tessera.api_keys k
                      JOIN tessera.users u ON u.id = k.user_id WHERE k.db_role = ? LIMIT 1""")) {
                ps.setString(1, role);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        schema = rs.getString(1);
                        timeout = (Integer) rs.getObject(2);
                    }
                }
            }
            if (schema == null) {
                return; // the key is gone
            }
            try (Statement s = c.createStatement()) {
                // settings the role gave itself for this database only (ALTER ROLE … IN DATABASE … SET)
                s.execute("ALTER ROLE " + quoteIdent(role) + " IN DATABASE " + quoteIdent(c.getCatalog()) + " RESET ALL");
                for (String sql : roleSetup(role, password, schema, timeout == null ? defaultSqlTimeoutMs : timeout)) {
                    s.execute(sql);
                }
            }
        }
    }

    /** The statements that give a key role its settings; used when creating and when resetting roles. */
    public static String[] roleSetup(String role, String password, String schema, int timeoutMs) {
        String r = quoteIdent(role);
        return new String[] {
            "ALTER ROLE " + r + " RESET ALL",
            "ALTER ROLE " + r + " NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS LOGIN PASSWORD " + quoteLiteral(password),
            "ALTER ROLE " + r + " SET search_path = " + quoteIdent(schema) + ", cartodb, public",
            // A backstop only: the request watchdog cancels from outside whatever the session sets.
            "ALTER ROLE " + r + " SET statement_timeout = " + timeoutMs,
            "ALTER ROLE " + r + " SET idle_in_transaction_session_timeout = '60s'",
        };
    }

    public static String quoteIdent(String s) {
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }

    public static String quoteLiteral(String s) {
        if (s.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("NUL in literal");
        }
        return "'" + s.replace("'", "''") + "'";
    }

    @Override
    public void close() {
        ds.close();
    }
}
