package io.tessera.server.imports;

import io.tessera.server.auth.User;
import io.tessera.server.datasets.DatasetStore;
import io.tessera.server.datasets.TableNames;
import io.tessera.server.db.AdminDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Publishes staged tables in ONE transaction on the owner's connection: pick each final name ({@code _1},
 * {@code _2} … or replace with {@code collision_strategy=overwrite}), cartodbfy (which moves the table from
 * staging into the user's schema), analyze, set the privacy GRANTs and register the dataset. If anything
 * fails, the rollback leaves neither table nor dataset behind.
 */
public final class Publisher {
    /** One published table. */
    public record Published(String name, UUID visualizationId, UUID tableId, long rows) {
    }

    private Publisher() {
    }

    public static List<Published> publish(Connection owner, User user, String stagingSchema, List<StagedTable> staged,
                                          ImportOptions options) throws SQLException, ImportFailure {
        owner.setAutoCommit(false);
        try {
            List<Published> out = new ArrayList<>();
            try (Statement s = owner.createStatement()) {
                s.execute("SET LOCAL statement_timeout = 0");
            }
            try (PreparedStatement lock = owner.prepareStatement(
                    "SELECT pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('tessera.datasets:' || ?))")) {
                lock.setString(1, user.id().toString());
                lock.executeQuery().close();
            }
            Set<String> taken = existingTables(owner, user.schema());
            for (StagedTable t : staged) {
                String base = TableNames.normalize(options.tableName() != null && staged.size() == 1
                        ? options.tableName() : t.proposedName(), "untitled_table");
                String name = base;
                if (taken.contains(base)) {
                    if (options.skip()) {
                        continue;
                    }
                    if (options.overwrite()) {
                        drop(owner, user.schema(), base);
                    } else {
                        name = TableNames.unique(base, taken::contains);
                    }
                }
                taken.add(name);
                out.add(publishOne(owner, user, stagingSchema, t, name, options));
            }
            owner.commit();
            return out;
        } catch (SQLException | ImportFailure | RuntimeException e) {
            owner.rollback();
            throw e;
        } finally {
            owner.setAutoCommit(true);
        }
    }

    private static Published publishOne(Connection owner, User user, String stagingSchema, StagedTable t, String name,
                                        ImportOptions options) throws SQLException {
        String staged = AdminDatabase.quoteIdent(stagingSchema) + "." + AdminDatabase.quoteIdent(t.stagingName());
        try (Statement s = owner.createStatement()) {
            s.execute("ALTER TABLE " + staged + " RENAME TO " + AdminDatabase.quoteIdent(name));
            try (PreparedStatement ps = owner.prepareStatement("SELECT cartodb.cdb_cartodbfytable(?, ?::regclass)")) {
                ps.setString(1, user.schema());
                ps.setString(2, AdminDatabase.quoteIdent(stagingSchema) + "." + AdminDatabase.quoteIdent(name));
                ps.executeQuery().close();
            }
            s.execute("ANALYZE " + DatasetStore.qualified(user.schema(), name));
        }
        if (options.privacy() != io.tessera.server.datasets.Privacy.PRIVATE) {
            options.privacy().apply(owner, user.schema(), name, user.publicRole());
        }
        UUID[] ids = DatasetStore.register(owner, user.schema(), name, options.privacy());
        return new Published(name, ids[0], ids[1], t.rows());
    }

    private static void drop(Connection owner, String schema, String table) throws ImportFailure {
        try (Statement s = owner.createStatement()) {
            s.execute("SAVEPOINT overwrite");
            s.execute("DROP TABLE " + DatasetStore.qualified(schema, table));
            s.execute("RELEASE SAVEPOINT overwrite");
        } catch (SQLException e) {
            throw new ImportFailure(ImportErrorCodes.CANNOT_OVERWRITE, "cannot replace " + table + ": " + e.getMessage(), e);
        }
    }

    private static Set<String> existingTables(Connection c, String schema) throws SQLException {
        Set<String> out = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT c.relname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                        + "WHERE n.nspname = ? AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S', 'i')")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }
}
