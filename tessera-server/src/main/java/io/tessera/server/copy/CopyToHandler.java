package io.tessera.server.copy;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import io.tessera.server.auth.Caller;
import io.tessera.server.db.RoleConnection;
import io.tessera.server.http.ApiRequest;
import io.tessera.server.http.Json;
import io.tessera.server.sql.SqlApiErrors;
import io.tessera.server.sql.Watchdog;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.Optional;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.postgresql.copy.CopyOut;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET|POST /sql/copyto?q=COPY (…) TO STDOUT …}: streams {@code COPY … TO STDOUT} from a connection of the
 * key's own role to the response, row by row through a 64 KB buffer (gzip, fast level, when the client accepts
 * it). An error before the first row is a normal error answer; one after it is appended to the body as CARTO
 * does; a client that goes away cancels the COPY.
 */
final class CopyToHandler {
    private static final Logger LOG = LoggerFactory.getLogger(CopyToHandler.class);
    private static final int BUFFER = 64 * 1024;
    private static final String DEFAULT_FILENAME = "carto-sql-copyto.dmp";

    private final CopySession session;

    CopyToHandler(CopySession session) {
        this.session = session;
    }

    void handle(ApiRequest req, ServerResponse res) throws SQLException {
        Caller caller = session.caller(req, res, true);
        String sql = CopyStatement.copyTo(param(req, "q").orElse(null));
        String filename = param(req, "filename").filter(f -> !f.isEmpty()).orElse(DEFAULT_FILENAME);
        boolean gzip = acceptsGzip(req.header("Accept-Encoding").orElse(""));
        try (RoleConnection conn = session.connect(caller);
             Watchdog.Guard guard = session.guard(conn)) {
            CopyOut copy;
            try {
                copy = conn.pg().getCopyAPI().copyOut(sql);
            } catch (SQLException e) {
                throw CopyErrors.fromSql(e, guard.fired());
            }
            res.status(Status.OK_200);
            res.header(HeaderNames.CONTENT_TYPE, "application/octet-stream");
            res.header(HeaderNames.CONTENT_DISPOSITION, "attachment; filename=" + encodeUriComponent(filename));
            res.header(HeaderNames.VARY, "Accept-Encoding");
            if (gzip) {
                res.header(HeaderNames.CONTENT_ENCODING, "gzip");
            }
            stream(copy, res.outputStream(), gzip, conn, guard);
        }
    }

    private static void stream(CopyOut copy, OutputStream response, boolean gzip, RoleConnection conn, Watchdog.Guard guard) {
        OutputStream out = null;
        try {
            out = gzip ? new FastGzip(response) : new BufferedOutputStream(response, BUFFER);
            try {
                byte[] row;
                while ((row = copy.readFromCopy()) != null) {
                    out.write(row);
                }
            } catch (SQLException e) {
                // Rows went out already: CARTO appends the error to the body.
                var mapped = CopyErrors.fromSql(e, guard.fired());
                out.write(mapped.body().toString().getBytes(StandardCharsets.UTF_8));
            }
            out.close();
        } catch (IOException | UncheckedIOException e) {
            LOG.debug("copyto client gone: {}", e.getMessage());
            conn.markBroken();
            try {
                if (copy.isActive()) {
                    copy.cancelCopy();
                }
            } catch (SQLException ignored) {
                // the connection is evicted anyway
            }
        }
    }

    /** Body over query string, as the SQL API reads its parameters. */
    private static Optional<String> param(ApiRequest req, String name) {
        return req.bodyParam(name).or(() -> req.queryParam(name));
    }

    static boolean acceptsGzip(String acceptEncoding) {
        for (String part : acceptEncoding.split(",")) {
            String[] p = part.trim().split(";");
            if (p[0].trim().equalsIgnoreCase("gzip")) {
                return !(p.length > 1 && p[1].replace(" ", "").matches("q=0(\\.0*)?"));
            }
        }
        return false;
    }

    /** JavaScript's {@code encodeURIComponent}, which CARTO uses for the attachment name. */
    static String encodeUriComponent(String s) {
        StringBuilder b = new StringBuilder();
        for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (x & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || "-_.!~*'()".indexOf(c) >= 0) {
                b.append(c);
            } else {
                b.append('%').append(String.format("%02X", x & 0xff));
            }
        }
        return b.toString();
    }

    /** gzip at the fastest level: the point is fewer bytes on the wire, not the last percent of ratio. */
    private static final class FastGzip extends GZIPOutputStream {
        FastGzip(OutputStream out) throws IOException {
            super(out, BUFFER);
            def.setLevel(Deflater.BEST_SPEED);
        }
    }
}
