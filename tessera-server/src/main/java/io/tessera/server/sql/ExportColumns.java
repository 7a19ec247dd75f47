package io.tessera.server.sql;

import static io.tessera.server.db.AdminDatabase.quoteIdent;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The columns a file export writes, as CARTO's ogr exports pick them: those of
 * {@code SELECT * FROM (<q>) LIMIT 0}, skipped fields left out, {@code the_geom} first.
 */
final class ExportColumns {
    static final String ALIAS = "_cartodbsqlapi";

    private ExportColumns() {
    }

    static List<String> of(Connection c, String sql, Set<String> skip) throws SQLException {
        List<String> names = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM (" + sql + ") AS " + ALIAS + " LIMIT 0")) {
            ResultSetMetaData md = ps.getMetaData();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                String n = md.getColumnLabel(i);
                if (!skip.contains(n) && !names.contains(n)) {
                    names.add(n);
                }
            }
        }
        if (names.remove("the_geom")) {
            names.add(0, "the_geom");
        }
        return names;
    }

    /** {@code SELECT <each column, through cast> FROM (<q>) AS _cartodbsqlapi}. */
    static String select(List<String> names, String sql, String cast) {
        StringBuilder select = new StringBuilder();
        for (String n : names) {
            if (!select.isEmpty()) {
                select.append(", ");
            }
            select.append(quoteIdent(n)).append(cast).append(" AS ").append(quoteIdent(n));
        }
        return "SELECT " + select + " FROM (" + sql + ") AS " + ALIAS;
    }
}
