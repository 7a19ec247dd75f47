package io.tessera.server.sql;

import java.io.IOException;
import java.io.OutputStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyOut;

/**
 * {@code format=csv} through {@code COPY … TO STDOUT WITH CSV HEADER} (decisions: CSV export): every
 * column cast to text as CARTO's ogr2ogr export does, {@code the_geom} first, skipped fields left out,
 * and CRLF record ends. PostgreSQL sends one row per CopyData message, so each message's final LF
 * becomes CRLF and line breaks inside quoted values stay as they are.
 */
final class CsvExport {
    private CsvExport() {
    }

    /** The COPY statement for the script's last statement. */
    static String copySql(Connection c, String sql, Set<String> skip) throws SQLException {
        List<String> names = ExportColumns.of(c, sql, skip);
        return "COPY (" + ExportColumns.select(names, sql, "::text") + ") TO STDOUT WITH (FORMAT csv, HEADER true)";
    }

    /** Streams the COPY output; opens the response at the first row. Returns the data rows written. */
    static long stream(Connection c, String copySql, SqlResponse response) throws SQLException, IOException {
        CopyOut copy = c.unwrap(PGConnection.class).getCopyAPI().copyOut(copySql);
        long rows = -1; // the header line is not a data row
        try {
            byte[] row;
            while ((row = copy.readFromCopy()) != null) {
                OutputStream out = response.start();
                int len = row.length;
                if (len > 0 && row[len - 1] == '\n') {
                    out.write(row, 0, len - 1);
                    out.write('\r');
                    out.write('\n');
                } else {
                    out.write(row);
                }
                rows++;
            }
        } finally {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
        response.start().close();
        return Math.max(rows, 0);
    }
}
