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
        reset(role, password);
    }

    /**
     * Puts back only a key role's stored settings (search_path, timeouts; role-wide and for this database),
     * in one transaction, leaving its password alone: sessions logging in meanwhile are not disturbed and
     * never see half the settings.
     */
    public void resetRoleSettings(String role) throws SQLException {
        reset(role, null);
    }

    private void reset(String role, String password) throws SQLException {
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
            int ms = timeout == null ? defaultSqlTimeoutMs : timeout;
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                // settings the role gave itself for this database only (ALTER ROLE … IN DATABASE … SET)
                s.execute("ALTER ROLE " + quoteIdent(role) + " IN DATABASE " + quoteIdent(c.getCatalog()) + " RESET ALL");
                for (String sql : password == null ? roleSettings(role, schema, ms) : roleSetup(role, password, schema, ms)) {
                    s.execute(sql);
                }
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    /** The statements that set a key role's stored settings (no password, no attributes). */
    static String[] roleSettings(String role, String schema, int timeoutMs) {
        String r = quoteIdent(role);
        return new String[] {
            "ALTER ROLE " + r + " RESET ALL",
            "ALTER ROLE " + r + " SET search_path = " + quoteIdent(schema) + ", cartodb, public",
            // A backstop only: the request watchdog cancels from outside whatever the session sets.
            "ALTER ROLE " + r + " SET statement_timeout = " + timeoutMs,
            "ALTER ROLE " + r + " SET idle_in_transaction_session_timeout = '60s'",
        };
    }

    /** The statements that give a key role its settings; used when creating and when resetting roles. */
    public static String[] roleSetup(String role, String password, String schema, int timeoutMs) {
        String[] settings = roleSettings(role, schema, timeoutMs);
        String[] all = java.util.Arrays.copyOf(settings, settings.length + 1);
        all[settings.length] = "ALTER ROLE " + quoteIdent(role)
                + " NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS LOGIN PASSWORD " + quoteLiteral(password);
        return all;
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
