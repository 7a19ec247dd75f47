package io.tessera.server.keys;

import static io.tessera.server.db.AdminDatabase.quoteIdent;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.server.auth.Accounts;
import io.tessera.server.auth.ApiKey;
import io.tessera.server.auth.User;
import io.tessera.server.db.AdminDatabase;
import io.tessera.server.db.Platform;
import io.tessera.server.http.Json;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The Auth API's keys in the database. A regular key is its own login role ({@code tessera_k_<hex>}) that
 * inherits the user's public role and holds exactly the table and schema GRANTs asked for, so what the key
 * can touch is enforced by PostgreSQL itself. All DDL runs on the admin connection in one transaction.
 */
final class KeyStore {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String KEY_COLUMNS = "user_id, token, name, type, db_role, apis, services, other_grants, created_at, updated_at";

    /** A key with what only the Auth API shows of it. */
    record StoredKey(ApiKey key, List<String> services, JsonNode otherGrants, OffsetDateTime createdAt,
                     OffsetDateTime updatedAt) {
    }

    private final Platform platform;

    KeyStore(Platform platform) {
        this.platform = platform;
    }

    private AdminDatabase admin() {
        return platform.admin();
    }

    List<StoredKey> list(User user) throws SQLException {
        List<StoredKey> out = new ArrayList<>();
        try (Connection c = admin().dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT " + KEY_COLUMNS + " FROM tessera.api_keys WHERE user_id = ?")) {
            ps.setObject(1, user.id());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(read(rs));
                }
            }
        }
        return out;
    }

    Optional<StoredKey> find(User user, String name) throws SQLException {
        try (Connection c = admin().dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT " + KEY_COLUMNS + " FROM tessera.api_keys WHERE user_id = ? AND name = ?")) {
            ps.setObject(1, user.id());
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    StoredKey create(User user, String name, GrantsSpec grants) throws SQLException {
        String role = "tessera_k_" + HexFormat.of().formatHex(random(8));
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random(16));
        try (Connection c = admin().dataSource().getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                try (PreparedStatement ps = c.prepareStatement("""
                        INSERT INTO tessera.api_keys (user_id, token, name, type, db_role, apis, services, other_grants)
                        VALUES (?, ?, ?, 'regular', ?, ?, ?, ?::jsonb)""")) {
                    ps.setObject(1, user.id());
                    ps.setString(2, token);
                    ps.setString(3, name);
                    ps.setString(4, role);
                    ps.setArray(5, c.createArrayOf("text", grants.apis().toArray()));
                    ps.setArray(6, c.createArrayOf("text", grants.services().toArray()));
                    ps.setString(7, grants.echoed().toString());
                    ps.executeUpdate();
                } catch (SQLException e) {
                    c.rollback();
                    if ("23505".equals(e.getSQLState())) {
                        throw AuthApiErrors.unprocessable("Validation failed: Name has already been taken");
                    }
                    throw e;
                }
                s.execute("CREATE ROLE " + quoteIdent(role) + " LOGIN");
                for (String sql : AdminDatabase.roleSetup(role, platform.rolePassword(role), user.schema(), timeoutOf(user))) {
                    s.execute(sql);
                }
                s.execute("GRANT CONNECT, TEMPORARY ON DATABASE " + quoteIdent(c.getCatalog()) + " TO " + quoteIdent(role));
                // What default_public can read, this key can read too (as CARTO's regular keys do).
                s.execute("GRANT " + quoteIdent(user.publicRole()) + " TO " + quoteIdent(role));
                s.execute("GRANT USAGE ON SCHEMA " + quoteIdent(user.schema()) + " TO " + quoteIdent(role));
                for (GrantsSpec.TableGrant t : grants.tables()) {
                    grantTable(c, s, user, role, t);
                }
                for (GrantsSpec.SchemaGrant g : grants.schemas()) {
                    if (!ownSchema(user, g.name())) {
                        throw AuthApiErrors.unprocessable("Validation failed: can only grant schema permissions you have");
                    }
                    if (g.permissions().contains("create")) {
                        s.execute("GRANT CREATE ON SCHEMA " + quoteIdent(user.schema()) + " TO " + quoteIdent(role));
                    }
                }
            } catch (RuntimeException | SQLException e) {
                c.rollback();
                throw e;
            }
            c.commit();
        }
        return find(user, name).orElseThrow();
    }

    private void grantTable(Connection c, Statement s, User user, String role, GrantsSpec.TableGrant t) throws SQLException {
        if (!ownSchema(user, t.schema())) {
            throw AuthApiErrors.unprocessable("Validation failed: can only grant table permissions you have");
        }
        String qualified = quoteIdent(user.schema()) + "." + quoteIdent(t.name());
        long oid;
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname = ? AND c.relname = ? AND c.relkind IN ('r', 'v', 'm', 'f', 'p')""")) {
            ps.setString(1, user.schema());
            ps.setString(2, t.name());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw AuthApiErrors.unprocessable(t.schema() + "." + t.name() + " don't exist.");
                }
                oid = rs.getLong(1);
            }
        }
        for (String p : t.permissions()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT has_table_privilege(?, ?::oid, ?)")) {
                ps.setString(1, user.ownerRole());
                ps.setLong(2, oid);
                ps.setString(3, p);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (!rs.getBoolean(1)) {
                        throw AuthApiErrors.unprocessable("Validation failed: can only grant table permissions you have");
                    }
                }
            }
        }
        if (t.permissions().isEmpty()) {
            return;
        }
        s.execute("GRANT " + String.join(", ", t.permissions()).toUpperCase(java.util.Locale.ROOT) + " ON TABLE "
                + qualified + " TO " + quoteIdent(role));
        if (t.permissions().contains("insert") || t.permissions().contains("update")) {
            // serial columns: inserting needs nextval on the table's own sequences
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT quote_ident(n.nspname) || '.' || quote_ident(seq.relname)
                      FROM pg_depend d JOIN pg_class seq ON seq.oid = d.objid AND seq.relkind = 'S'
                      JOIN pg_namespace n ON n.oid = seq.relnamespace
                     WHERE d.refobjid = ?::oid AND d.deptype IN ('a', 'i')""")) {
                ps.setLong(1, oid);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        s.execute("GRANT USAGE, SELECT ON SEQUENCE " + rs.getString(1) + " TO " + quoteIdent(role));
                    }
                }
            }
        }
    }

    /** Deletes a regular key: no new sessions, the live ones ended, its objects handed to the owner, the role dropped. */
    void delete(User user, StoredKey stored) throws SQLException {
        String role = stored.key().dbRole();
        try (Connection c = admin().dataSource().getConnection(); Statement s = c.createStatement()) {
            platform.pools().endSessions(c, List.of(role));
            c.setAutoCommit(false);
            try {
                s.execute("REASSIGN OWNED BY " + quoteIdent(role) + " TO " + quoteIdent(user.ownerRole()));
                s.execute("DROP OWNED BY " + quoteIdent(role));
                s.execute("DROP ROLE " + quoteIdent(role));
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM tessera.api_keys WHERE user_id = ? AND name = ?")) {
                    ps.setObject(1, user.id());
                    ps.setString(2, stored.key().name());
                    ps.executeUpdate();
                }
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
        platform.accounts().invalidateKeys();
    }

    /** A new token for the key; the old one stops working at once on this node (other nodes: within the key cache's TTL). */
    StoredKey regenerate(User user, StoredKey stored) throws SQLException {
        String token = stored.key().isMaster() ? HexFormat.of().formatHex(random(20))
                : Base64.getUrlEncoder().withoutPadding().encodeToString(random(16));
        try (Connection c = admin().dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "UPDATE tessera.api_keys SET token = ?, updated_at = now() WHERE user_id = ? AND name = ?")) {
            ps.setString(1, token);
            ps.setObject(2, user.id());
            ps.setString(3, stored.key().name());
            ps.executeUpdate();
        }
        platform.accounts().invalidateKeys();
        return find(user, stored.key().name()).orElseThrow();
    }

    /** The table and schema privileges the key's role holds, read back from the catalog (owned tables included). */
    DatabaseGrants databaseGrants(String role) throws SQLException {
        List<DatabaseGrants.Table> tables = new ArrayList<>();
        List<String> schemas = new ArrayList<>();
        try (Connection c = admin().dataSource().getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("""
                    WITH r AS (SELECT oid FROM pg_roles WHERE rolname = ?)
                    SELECT n.nspname, c.relname, c.relowner = r.oid AS owner,
                           array_agg(DISTINCT lower(a.privilege_type)) FILTER (WHERE a.grantee = r.oid) AS privileges
                      FROM r, pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                      LEFT JOIN LATERAL aclexplode(c.relacl) a ON a.privilege_type IN ('INSERT', 'SELECT', 'UPDATE', 'DELETE')
                     WHERE c.relkind IN ('r', 'v', 'm', 'f', 'p') AND (c.relowner = r.oid OR a.grantee = r.oid)
                     GROUP BY n.nspname, c.relname, c.relowner, r.oid
                     ORDER BY 1, 2""")) {
                ps.setString(1, role);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        boolean owner = rs.getBoolean(3);
                        List<String> privileges = owner ? List.of("delete", "insert", "select", "update")
                                : rs.getArray(4) == null ? List.of() : List.of((String[]) rs.getArray(4).getArray());
                        tables.add(new DatabaseGrants.Table(rs.getString(1), rs.getString(2), owner, privileges));
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT n.nspname FROM pg_namespace n, aclexplode(n.nspacl) a
                     WHERE a.grantee = (SELECT oid FROM pg_roles WHERE rolname = ?) AND a.privilege_type = 'CREATE'
                     ORDER BY 1""")) {
                ps.setString(1, role);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        schemas.add(rs.getString(1));
                    }
                }
            }
        }
        return new DatabaseGrants(tables, schemas);
    }

    /** Decisions: wherever a client says {@code public} it means the caller's own schema. */
    private static boolean ownSchema(User user, String schema) {
        return schema.equals(user.schema()) || schema.equals("public");
    }

    private int timeoutOf(User user) {
        return user.sqlTimeoutMs() != null ? user.sqlTimeoutMs() : admin().defaultSqlTimeoutMs();
    }

    private static StoredKey read(ResultSet rs) throws SQLException {
        return new StoredKey(Accounts.readKey(rs), List.of((String[]) rs.getArray("services").getArray()),
                otherGrants(rs.getString("other_grants")), rs.getObject("created_at", OffsetDateTime.class),
                rs.getObject("updated_at", OffsetDateTime.class));
    }

    private static JsonNode otherGrants(String json) throws SQLException {
        try {
            return Json.MAPPER.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new SQLException("unreadable other_grants: " + e.getOriginalMessage(), e);
        }
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }
}
