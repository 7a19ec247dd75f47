package io.tessera.server.imports;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyOutputStream;

/**
 * Rows streamed into {@code COPY … FROM STDIN} in text format, through a buffer: values are escaped
 * ({@code \\}, tab, newline, carriage return), {@code null} writes {@code \N}. Closing ends the COPY; an
 * exception before {@link #finish()} cancels it, so nothing half-copied is ever committed.
 */
public final class CopyRows implements AutoCloseable {
    private final PGCopyOutputStream copy;
    private final Writer out;
    private boolean first = true;
    private boolean finished;
    private long rows;

    public CopyRows(Connection c, String copySql) throws SQLException {
        this.copy = new PGCopyOutputStream(c.unwrap(PGConnection.class), copySql, 1 << 16);
        this.out = new BufferedWriter(new OutputStreamWriter(copy, StandardCharsets.UTF_8), 1 << 16);
    }

    public void value(String v) throws IOException {
        if (!first) {
            out.write('\t');
        }
        first = false;
        if (v == null) {
            out.write("\\N");
            return;
        }
        int n = v.length();
        for (int i = 0; i < n; i++) {
            char c = v.charAt(i);
            switch (c) {
                case '\\' -> out.write("\\\\");
                case '\t' -> out.write("\\t");
                case '\n' -> out.write("\\n");
                case '\r' -> out.write("\\r");
                case '\0' -> { } // PostgreSQL text cannot hold NUL
                default -> out.write(c);
            }
        }
    }

    public void endRow() throws IOException {
        out.write('\n');
        first = true;
        rows++;
    }

    public long rows() {
        return rows;
    }

    /** Ends the COPY and returns the rows PostgreSQL took. */
    public long finish() throws IOException, SQLException {
        out.flush();
        copy.endCopy();
        finished = true;
        return rows;
    }

    @Override
    public void close() throws IOException, SQLException {
        if (!finished && copy.isActive()) {
            copy.cancelCopy();
        }
    }
}
