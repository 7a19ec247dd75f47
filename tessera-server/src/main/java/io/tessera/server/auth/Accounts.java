package io.tessera.server.auth;

import static io.tessera.server.db.AdminDatabase.quoteIdent;

import io.tessera.server.db.AdminDatabase;
import io.tessera.server.db.ChangeFeed;
import io.tessera.server.db.FeedCache;
import io.tessera.server.db.RolePasswords;
import io.tessera.server.db.RolePools;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Users and their keys. Creating a user makes its schema, its owner login role, its public login role,
 * a master API key and the {@code default_public} key, in one transaction; deleting a user terminates
 * its roles' sessions and removes all of it. Runs on the admin connection.
 */
public final class Accounts {
    private static final Pattern USERNAME = Pattern.compile("^[a-z][a-z0-9-]{0,39}$");
    private static final Set<String> RESERVED = Set.of("public", "cartodb", "tessera", "topology", "postgis",
            "information-schema", "postgres", "admin", "api", "user", "u");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final AdminDatabase admin;
    private final RolePasswords passwords;
    private final RolePools pools;
    // Key lookups happen on every request. Any write of tessera.users or tessera.api_keys, on any node, notifies
    // the change feed (V57), which drops these at once; while the feed is down a short TTL bounds staleness.
    private final FeedCache<String, Optional<User>> users;
    private final FeedCache<String, Optional<ApiKey>> keys;

    public Accounts(AdminDatabase admin, RolePasswords passwords, RolePools pools, ChangeFeed feed) {
        this.admin = admin;
        this.passwords = passwords;
        this.pools = pools;
        this.users = new FeedCache<>(feed, ChangeFeed.Topic.ACCOUNTS, Duration.ofSeconds(10), 10_000);
        this.keys = new FeedCache<>(feed, ChangeFeed.Topic.ACCOUNTS, Duration.ofSeconds(10), 100_000);
    }

    /** The result of creating a user: the account and its master key token. */
    public record Created(User user, String masterKey) {
        @Override
        public String toString() {
            return "Created[" + user.username() + "]";
        }
    }

    public static void validateUsername(String username) {
        if (username == null || !USERNAME.matcher(username).matches() || RESERVED.contains(username)) {
            throw new IllegalArgumentException("Invalid username '" + username
                    + "': use 1-40 lower-case letters, digits and '-', starting with a letter (not a reserved name)");
        }
    }

    public Created create(String username, String email, Integer sqlTimeoutMs) throws SQLException {
        validateUsername(username);
        UUID id = UUID.randomUUID();
        String owner = "tessera_u_" + username;
        String pub = owner + "_pub";
        User user = new User(id, username, email, username, owner, pub, sqlTimeoutMs);
        String masterKey = HexFormat.of().formatHex(randomBytes(20));
        int timeout = sqlTimeoutMs == null ? admin.defaultSqlTimeoutMs() : sqlTimeoutMs;
        try (Connection c = admin.dataSource().getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                try (PreparedStatement ps = c.prepareStatement("""
                        INSERT INTO tessera.users (id, username, email, schema_name, owner_role, public_role, sql_timeout_ms)
                        VALUES (?, ?, ?, ?, ?, ?, ?)""")) {
                    ps.setObject(1, id);
                    ps.setString(2, username);
                    ps.setString(3, email);
                    ps.setString(4, user.schema());
                    ps.setString(5, owner);
                    ps.setString(6, pub);
                    ps.setObject(7, sqlTimeoutMs);
                    ps.executeUpdate();
                } catch (SQLException e) {
                    if ("23505".equals(e.getSQLState())) {
                        throw new IllegalArgumentException("User '" + username + "' already exists", e);
                    }
                    throw e;
                }
                s.execute("CREATE ROLE " + quoteIdent(owner) + " LOGIN");
                s.execute("CREATE ROLE " + quoteIdent(pub) + " LOGIN");
                for (String r : List.of(owner, pub)) {
                    for (String sql : AdminDatabase.roleSetup(r, passwords.passwordFor(r), user.schema(), timeout)) {
                        s.execute(sql);
                    }
                    s.execute("GRANT CONNECT, TEMPORARY ON DATABASE " + quoteIdent(currentDatabase(c)) + " TO " + quoteIdent(r));
                }
                s.execute("CREATE SCHEMA " + quoteIdent(user.schema()) + " AUTHORIZATION " + quoteIdent(owner));
                s.execute("GRANT USAGE ON SCHEMA " + quoteIdent(user.schema()) + " TO " + quoteIdent(pub));
                insertKey(c, id, masterKey, "Master", ApiKey.Type.MASTER, owner);
                insertKey(c, id, ApiKey.DEFAULT_PUBLIC, "Default public", ApiKey.Type.DEFAULT, pub);
            }
            c.commit();
        }
        users.invalidate(username);
        return new Created(user, masterKey);
    }

    private static void insertKey(Connection c, UUID userId, String token, String name, ApiKey.Type type, String role)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO tessera.api_keys (user_id, token, name, type, db_role) VALUES (?, ?, ?, ?, ?)")) {
            ps.setObject(1, userId);
            ps.setString(2, token);
            ps.setString(3, name);
            ps.setString(4, type.wire());
            ps.setString(5, role);
            ps.executeUpdate();
        }
    }

    /** Deletes a user: ends its roles' sessions, drops its schema (with all data) and roles, and its keys. */
    public boolean delete(String username) throws SQLException {
        Optional<User> found = findUserUncached(username);
        if (found.isEmpty()) {
            return false;
        }
        User u = found.get();
        List<String> roles = new ArrayList<>();
        try (Connection c = admin.dataSource().getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT db_role FROM tessera.api_keys WHERE user_id = ?")) {
                ps.setObject(1, u.id());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        roles.add(rs.getString(1));
                    }
                }
            }
            for (String r : List.of(u.ownerRole(), u.publicRole())) {
                if (!roles.contains(r)) {
                    roles.add(r);
                }
            }
            pools.endSessions(c, roles);
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS " + quoteIdent(u.schema()) + " CASCADE");
                for (String r : roles) {
                    s.execute("DROP OWNED BY " + quoteIdent(r) + " CASCADE");
                    s.execute("DROP ROLE IF EXISTS " + quoteIdent(r));
                }
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM tessera.users WHERE id = ?")) {
                    ps.setObject(1, u.id());
                    ps.executeUpdate();
                }
            }
            c.commit();
        }
        users.invalidate(username);
        keys.invalidateAll();
        return true;
    }

    public List<User> list() throws SQLException {
        List<User> out = new ArrayList<>();
        try (Connection c = admin.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT * FROM tessera.users ORDER BY username");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(readUser(rs));
            }
        }
        return out;
    }

    public Optional<User> findUser(String username) {
        return findUser(username, false);
    }

    /** {@code fromDatabase}: read the row now (a caller that could not wait for the change feed's round). */
    public Optional<User> findUser(String username, boolean fromDatabase) {
        return users.get(username, u -> {
            try {
                return findUserUncached(u);
            } catch (SQLException e) {
                throw new IllegalStateException("cannot look up user: " + e.getMessage(), e);
            }
        }, fromDatabase);
    }

    public Optional<User> findUserUncached(String username) throws SQLException {
        try (Connection c = admin.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT * FROM tessera.users WHERE username = ?")) {
            ps.setString(1, username);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(readUser(rs)) : Optional.empty();
            }
        }
    }

    public Optional<ApiKey> findKey(User user, String token) {
        return findKey(user, token, false);
    }

    /** {@code fromDatabase}: read the row now (a caller that could not wait for the change feed's round). */
    public Optional<ApiKey> findKey(User user, String token, boolean fromDatabase) {
        return keys.get(user.id() + "/" + token, k -> {
            try (Connection c = admin.dataSource().getConnection();
                 PreparedStatement ps = c.prepareStatement(
                         "SELECT user_id, token, name, type, db_role, apis FROM tessera.api_keys WHERE user_id = ? AND token = ?")) {
                ps.setObject(1, user.id());
                ps.setString(2, token);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(readKey(rs));
                }
            } catch (SQLException e) {
                throw new IllegalStateException("cannot look up key: " + e.getMessage(), e);
            }
        }, fromDatabase);
    }

    /** Reads a key from a row with columns user_id, token, name, type, db_role, apis. */
    public static ApiKey readKey(ResultSet rs) throws SQLException {
        String[] apis = (String[]) rs.getArray("apis").getArray();
        return new ApiKey(rs.getObject("user_id", UUID.class), rs.getString("token"), rs.getString("name"),
                ApiKey.Type.fromWire(rs.getString("type")), rs.getString("db_role"), Set.of(apis));
    }

    /** Forgets a cached user at once (its row changed on this node). */
    public void invalidateUser(String username) {
        users.invalidate(username);
    }

    /** Forgets cached keys at once (a key was deleted or its token regenerated on this node). */
    public void invalidateKeys() {
        keys.invalidateAll();
    }

    /** The master key token of a user (for the start banner and admin tools). */
    public Optional<String> masterKey(String username) throws SQLException {
        try (Connection c = admin.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     SELECT k.token FROM tessera.api_keys k JOIN tessera.users u ON u.id = k.user_id
                      WHERE u.username = ? AND k.type = 'master'""")) {
            ps.setString(1, username);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    private static User readUser(ResultSet rs) throws SQLException {
        return new User(rs.getObject("id", UUID.class), rs.getString("username"), rs.getString("email"),
                rs.getString("schema_name"), rs.getString("owner_role"), rs.getString("public_role"),
                (Integer) rs.getObject("sql_timeout_ms"));
    }

    private static String currentDatabase(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT current_database()")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

}
