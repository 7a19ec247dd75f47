package io.tessera.server.datasets;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A table's columns as {@code GET /api/v1/tables/:id} lists them (platform-api.md §5): CARTO types
 * ({@code number}, {@code string}, {@code date}, {@code boolean}, {@code geometry}), ordered
 * {@code cartodb_id}, {@code the_geom}, the rest alphabetically, then {@code created_at}/{@code updated_at};
 * {@code the_geom_webmercator} hidden.
 */
public final class TableColumns {
    /** One column: name, CARTO type, and for geometries the geometry type. */
    public record Column(String name, String cartoType, String geometryType) {
    }

    private TableColumns() {
    }

    public static boolean hasGeometry(Connection c, long tableOid, String column) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT 1 FROM pg_catalog.pg_attribute a
                 WHERE a.attrelid = ? AND a.attname = ? AND NOT a.attisdropped
                   AND pg_catalog.format_type(a.atttypid, NULL) = 'geometry'""")) {
            ps.setLong(1, tableOid);
            ps.setString(2, column);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    public static List<Column> of(Connection c, long tableOid) throws SQLException {
        List<Column> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT a.attname, pg_catalog.format_type(a.atttypid, NULL) AS t,
                       CASE WHEN pg_catalog.format_type(a.atttypid, NULL) = 'geometry'
                            THEN public.postgis_typmod_type(a.atttypmod) END AS g
                  FROM pg_catalog.pg_attribute a
                 WHERE a.attrelid = ? AND a.attnum > 0 AND NOT a.attisdropped""")) {
            ps.setLong(1, tableOid);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String name = rs.getString(1);
                    if (!name.equals("the_geom_webmercator")) {
                        String geom = rs.getString(3);
                        out.add(new Column(name, cartoType(rs.getString(2)), geom == null ? null : geom.toLowerCase()));
                    }
                }
            }
        }
        out.sort(Comparator.comparingInt(TableColumns::rank).thenComparing(Column::name));
        return out;
    }

    private static int rank(Column c) {
        return switch (c.name()) {
            case "cartodb_id" -> 0;
            case "the_geom" -> 1;
            case "created_at", "updated_at" -> 3;
            default -> 2;
        };
    }

    static String cartoType(String pgType) {
        return switch (pgType) {
            case "smallint", "integer", "bigint", "real", "double precision", "numeric" -> "number";
            case "boolean" -> "boolean";
            case "date", "timestamp without time zone", "timestamp with time zone", "time without time zone" -> "date";
            case "geometry", "geography" -> "geometry";
            default -> "string";
        };
    }
}
