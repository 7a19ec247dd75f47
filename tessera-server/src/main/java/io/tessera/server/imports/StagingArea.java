package io.tessera.server.imports;

import io.tessera.server.auth.User;
import io.tessera.server.db.AdminDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * Each user's staging schema ({@code tessera_import_<username>}, owned by the user's owner role, readable
 * by nobody else): imports load there as the user's own role, so a half-loaded table is never a dataset
 * and never visible through the user's schema. Usernames cannot hold {@code _}, so no user's schema can
 * collide with a staging schema. Created on first use by the admin connection (user roles may not
 * create schemas); dropped with the user (owned by its role).
 */
public final class StagingArea {
    private final DataSource admin;

    public StagingArea(DataSource admin) {
        this.admin = admin;
    }

    public static String schemaOf(User user) {
        return "tessera_import_" + user.username();
    }

    public String ensure(User user) throws SQLException {
        String schema = schemaOf(user);
        try (Connection c = admin.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS " + AdminDatabase.quoteIdent(schema)
                    + " AUTHORIZATION " + AdminDatabase.quoteIdent(user.ownerRole()));
        } catch (SQLException e) {
            if (!"23505".equals(e.getSQLState()) && !"42P06".equals(e.getSQLState())) {
                throw e; // a concurrent CREATE SCHEMA IF NOT EXISTS can still collide
            }
        }
        return schema;
    }

    /** Drops what a failed import left in staging (on the owner's connection). */
    public static void drop(Connection owner, String schema, String table) {
        try (Statement s = owner.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + AdminDatabase.quoteIdent(schema) + "." + AdminDatabase.quoteIdent(table));
        } catch (SQLException e) {
            // best effort: staging is invisible to clients; the next sweep removes it
        }
    }
}
