package io.tessera.server.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import org.postgresql.jdbc.PgConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Undoes {@code ALTER ROLE CURRENT_USER SET …} by a key's own SQL however it was written (decisions: security
 * 3). Role defaults only reach sessions that start after the change, so every new physical connection
 * compares its role's stored settings ({@code pg_db_role_setting}, role-wide and for this database) with the ones Tessera gave
 * the role; on a difference the role is reset from the admin connection and the connection replaced. The
 * known-good settings of a role are taken right after a reset, the first time this node uses the role.
 */
final class RoleSettingsGuard {
    private static final Logger LOG = LoggerFactory.getLogger(RoleSettingsGuard.class);
    private static final String SETTINGS = """
            SELECT coalesce(string_agg(s.setdatabase || ':' || array_to_string(s.setconfig, '|'), ';' ORDER BY s.setdatabase), '')
              FROM pg_catalog.pg_db_role_setting s
             WHERE s.setrole = (SELECT oid FROM pg_catalog.pg_roles WHERE rolname = %s)
               AND s.setdatabase IN (0, (SELECT oid FROM pg_catalog.pg_database WHERE datname = pg_catalog.current_database()))""";

    private final AdminDatabase admin;
    private final Map<String, String> expected = new ConcurrentHashMap<>();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    private final Set<PgConnection> checked = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

    RoleSettingsGuard(AdminDatabase admin) {
        this.admin = admin;
    }

    /** True if {@code raw} was checked before or its role's settings are Tessera's; false = reset done, replace it. */
    boolean verify(String role, Connection raw) throws SQLException {
        PgConnection pg = raw.unwrap(PgConnection.class);
        if (!checked.add(pg)) {
            return true;
        }
        String good = expected.get(role);
        if (good == null) {
            good = knownGood(role);
        }
        String actual;
        try (PreparedStatement ps = raw.prepareStatement(SETTINGS.formatted("session_user"));
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            actual = rs.getString(1);
        }
        if (good.equals(actual)) {
            return true;
        }
        checked.remove(pg);
        synchronized (lockOf(role)) {
            if (good.equals(read(admin, role))) {
                return false; // another request reset it meanwhile; only this connection is stale
            }
            LOG.warn("Role {} has settings Tessera did not give it; resetting them", role);
            admin.resetRoleSettings(role);
            expected.put(role, read(admin, role));
        }
        return false;
    }

    /** The first time this node uses a role: put its settings back (one transaction), remember them. */
    private String knownGood(String role) throws SQLException {
        synchronized (lockOf(role)) {
            String good = expected.get(role);
            if (good == null) {
                admin.resetRoleSettings(role);
                good = read(admin, role);
                expected.put(role, good);
            }
            return good;
        }
    }

    private Object lockOf(String role) {
        return locks.computeIfAbsent(role, r -> new Object());
    }

    private static String read(AdminDatabase admin, String role) throws SQLException {
        try (Connection c = admin.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement(SETTINGS.formatted("?"))) {
            ps.setString(1, role);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }
}
