package io.tessera.server.copy;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import io.tessera.server.auth.Caller;
import io.tessera.server.db.RoleConnection;
import io.tessera.server.http.ApiException;
import io.tessera.server.http.ApiRequest;
import io.tessera.server.http.Json;
import io.tessera.server.sql.Watchdog;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.postgresql.copy.CopyIn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /sql/copyfrom?q=COPY t (…) FROM STDIN …}: streams the request body (chunked or not, gunzipped when
 * {@code Content-Encoding: gzip}) into {@code COPY … FROM STDIN} on a connection of the key's own role, 64 KB
 * at a time. Anything that ends the upload early — a client gone, a truncated chunked or gzip body, the size
 * cap — sends CopyFail, so the COPY rolls back and leaves no rows (decisions: security 9).
 */
final class CopyFromHandler {
    private static final Logger LOG = LoggerFactory.getLogger(CopyFromHandler.class);
    private static final int BUFFER = 64 * 1024;

    private final CopySession session;
    private final long maxBytes;

    CopyFromHandler(CopySession session, long maxBytes) {
        this.session = session;
        this.maxBytes = maxBytes;
    }

    void handle(ApiRequest req, ServerResponse res) throws SQLException {
        // The body is the data: credentials and q come from the header or the query string only.
        Caller caller = session.caller(req, res, false);
        String sql = CopyStatement.copyFrom(req.queryParam("q").orElse(null));
        boolean gzip = req.header("Content-Encoding").map(v -> v.trim().equalsIgnoreCase("gzip")).orElse(false);
        long start = System.nanoTime();
        try (RoleConnection conn = session.connect(caller);
             Watchdog.Guard guard = session.guard(conn)) {
            CopyIn copy;
            try {
                copy = conn.pg().getCopyAPI().copyIn(sql);
            } catch (SQLException e) {
                throw CopyErrors.fromSql(e, guard.fired());
            }
            long rows = stream(req.raw().content().inputStream(), gzip, copy, conn, guard);
            if (rows == 0) {
                throw CopyErrors.noRows();
            }
            double seconds = Math.round((System.nanoTime() - start) / 1_000_000.0) / 1000.0;
            res.status(Status.OK_200);
            res.header(HeaderNames.CONTENT_TYPE, "application/json; charset=utf-8");
            res.send(Json.object().put("time", seconds).put("total_rows", rows).toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    private long stream(InputStream body, boolean gzip, CopyIn copy, RoleConnection conn, Watchdog.Guard guard) {
        try {
            InputStream source = gzip ? new GZIPInputStream(body, BUFFER) : body;
            CappedInputStream capped = new CappedInputStream(source, maxBytes);
            byte[] buf = new byte[BUFFER];
            int n;
            while ((n = capped.read(buf)) >= 0) {
                if (n > 0) {
                    copy.writeToCopy(buf, 0, n);
                }
            }
            return copy.endCopy();
        } catch (SQLException e) {
            abort(copy, conn);
            throw CopyErrors.fromSql(e, guard.fired());
        } catch (CappedInputStream.TooLarge e) {
            abort(copy, conn);
            throw CopyErrors.tooLarge(maxBytes);
        } catch (ZipException | EOFException e) {
            abort(copy, conn);
            throw gzip ? CopyErrors.gunzip(gunzipReason(e)) : CopyErrors.upload(e.getMessage());
        } catch (IOException | UncheckedIOException | ApiException e) {
            abort(copy, conn);
            throw e instanceof ApiException a ? a : CopyErrors.upload(String.valueOf(e.getMessage()));
        } catch (RuntimeException e) {
            // Helidon reports a connection closed mid-body (or a malformed chunk) with its own runtime exceptions.
            abort(copy, conn);
            LOG.debug("copyfrom upload ended early: {}", e.toString());
            throw CopyErrors.upload(e.getClass().getSimpleName());
        }
    }

    private static String gunzipReason(IOException e) {
        return e instanceof ZipException && "Not in GZIP format".equals(e.getMessage())
                ? "incorrect header check" : String.valueOf(e.getMessage());
    }

    /** CopyFail: PostgreSQL rolls the COPY back, whatever rows it already took. */
    private static void abort(CopyIn copy, RoleConnection conn) {
        try {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        } catch (SQLException e) {
            conn.markBroken();
            LOG.debug("cancelling the copy failed: {}", e.getMessage());
        }
    }
}
