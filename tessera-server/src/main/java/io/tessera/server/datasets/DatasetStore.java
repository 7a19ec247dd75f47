package io.tessera.server.datasets;

import io.tessera.server.auth.User;
import io.tessera.server.db.AdminDatabase;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The dataset registry as seen from a connection of the caller's own role: every read and write goes
 * through the SECURITY DEFINER functions of the V30 migration, so a key only ever sees its user's rows
 * (and a non-master key only the PUBLIC and LINK ones). Writes run in the caller's transaction together
 * with the table change they describe.
 */
public final class DatasetStore {
    /** Tables above this size get an estimated row count rather than count(*) when never analyzed. */
    private static final long EXACT_COUNT_MAX_BYTES = 64L * 1024 * 1024;

    private DatasetStore() {
    }

    /** Brings the owner's registry in line with its schema (tables made or dropped through SQL). */
    public static void reconcile(Connection owner) throws SQLException {
        try (Statement s = owner.createStatement()) {
            s.execute("SELECT cartodb._tessera_datasets_reconcile()");
        }
    }

    public static List<Dataset> list(Connection c) throws SQLException {
        List<Dataset> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM cartodb._tessera_datasets()")) {
            while (rs.next()) {
                out.add(read(rs));
            }
        }
        return out;
    }

    /** By visualization id, table id, table name or {@code schema.name}. */
    public static Optional<Dataset> find(Connection c, String idOrName) throws SQLException {
        UUID uuid = parseUuid(idOrName);
        for (Dataset d : list(c)) {
            if (uuid != null ? uuid.equals(d.id()) || uuid.equals(d.tableId())
                    : idOrName.equals(d.tableName()) || idOrName.equals(d.schema() + "." + d.tableName())) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    /** Registers a table of the caller's schema (or refreshes its row) and returns (vis id, table id). */
    public static UUID[] register(Connection owner, String schema, String table, Privacy privacy) throws SQLException {
        try (PreparedStatement ps = owner.prepareStatement("SELECT * FROM cartodb._tessera_dataset_register(?::regclass, ?)")) {
            ps.setString(1, qualified(schema, table));
            ps.setString(2, privacy.db());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new UUID[] {rs.getObject(1, UUID.class), rs.getObject(2, UUID.class)};
            }
        }
    }

    /** Applies an edit: rename the table, set the GRANTs, save the row — on the owner's transaction. */
    public static void save(Connection owner, User user, Dataset d, Dataset.Edit e) throws SQLException {
        if (!e.name().equals(d.tableName())) {
            try (Statement s = owner.createStatement()) {
                s.execute("ALTER TABLE " + qualified(d.schema(), d.tableName()) + " RENAME TO " + AdminDatabase.quoteIdent(e.name()));
            }
        }
        if (e.privacy() != d.privacy()) {
            e.privacy().apply(owner, d.schema(), e.name(), user.publicRole());
        }
        try (PreparedStatement ps = owner.prepareStatement(
                "SELECT cartodb._tessera_dataset_save(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setObject(1, d.id());
            ps.setString(2, e.name());
            ps.setString(3, e.privacy().db());
            ps.setString(4, e.displayName());
            ps.setString(5, e.description());
            ps.setArray(6, owner.createArrayOf("text", e.tags().toArray()));
            ps.setString(7, e.source());
            ps.setString(8, e.title());
            ps.setString(9, e.license());
            ps.setString(10, e.attributions());
            ps.setBoolean(11, e.locked());
            ps.executeQuery().close();
        }
    }

    /** Drops the table and forgets the dataset, on the owner's transaction. */
    public static void delete(Connection owner, Dataset d) throws SQLException {
        try (Statement s = owner.createStatement()) {
            s.execute("DROP TABLE " + qualified(d.schema(), d.tableName()));
        }
        try (PreparedStatement ps = owner.prepareStatement("SELECT cartodb._tessera_dataset_forget(?)")) {
            ps.setObject(1, d.id());
            ps.executeQuery().close();
        }
    }

    /** Distinct {@code ST_*} types of {@code the_geom} over a sample; empty when the table has none. */
    public static List<String> geometryTypes(Connection c, Dataset d) throws SQLException {
        if (!TableColumns.hasGeometry(c, d.tableOid(), "the_geom")) {
            return List.of();
        }
        String sql = "SELECT array_agg(DISTINCT public.ST_GeometryType(g)) FROM (SELECT the_geom AS g FROM "
                + qualified(d.schema(), d.tableName()) + " WHERE the_geom IS NOT NULL LIMIT 1000) q";
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            Array a = rs.next() ? rs.getArray(1) : null;
            return a == null ? List.of() : Arrays.stream((Object[]) a.getArray()).map(String::valueOf).sorted().toList();
        }
    }

    /** Exact rows for tables never analyzed and small enough; else the planner's estimate. */
    public static long rowCount(Connection c, Dataset d) throws SQLException {
        if (d.estimatedRows() > 0 || d.size() > EXACT_COUNT_MAX_BYTES) {
            return d.estimatedRows();
        }
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM " + qualified(d.schema(), d.tableName()))) {
            rs.next();
            return rs.getLong(1);
        }
    }

    public static String qualified(String schema, String table) {
        return AdminDatabase.quoteIdent(schema) + "." + AdminDatabase.quoteIdent(table);
    }

    private static Dataset read(ResultSet rs) throws SQLException {
        Array tags = rs.getArray("tags");
        List<String> tagList = tags == null ? List.of() : Arrays.stream((Object[]) tags.getArray()).map(String::valueOf).toList();
        return new Dataset(rs.getObject("id", UUID.class), rs.getObject("table_id", UUID.class),
                rs.getObject("map_id", UUID.class), rs.getString("table_name"), rs.getLong("table_oid"),
                Privacy.parse(rs.getString("privacy")).orElse(Privacy.PRIVATE), rs.getString("display_name"),
                rs.getString("description"), tagList, rs.getString("source"), rs.getString("title"),
                rs.getString("license"), rs.getString("attributions"), rs.getBoolean("locked"),
                rs.getObject("created_at", OffsetDateTime.class), rs.getObject("updated_at", OffsetDateTime.class),
                rs.getString("schema_name"), rs.getLong("size"), rs.getLong("estimated_rows"));
    }

    static UUID parseUuid(String s) {
        try {
            return s != null && s.length() == 36 ? UUID.fromString(s) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
