package io.tessera.server.sql;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import io.tessera.server.http.HttpDates;
import io.tessera.server.http.Json;
import java.io.OutputStream;

/**
 * A SQL API response that commits (status 200 and headers) only when the first byte of the result is
 * ready, so an error before the first row is still a clean error response, and an error after it is
 * appended to the body.
 */
final class SqlResponse {
    private final ServerResponse res;
    private final String contentType;
    private final String disposition;
    private OutputStream out;

    SqlResponse(ServerResponse res, String contentType, String disposition) {
        this.res = res;
        this.contentType = contentType;
        this.disposition = disposition;
    }

    boolean started() {
        return out != null;
    }

    OutputStream start() {
        if (out == null) {
            res.status(Status.OK_200);
            res.header(HeaderNames.CONTENT_TYPE, contentType);
            if (disposition != null) {
                res.header(HeaderNames.CONTENT_DISPOSITION, disposition);
            }
            out = new BodyBuffer(res.outputStream());
        }
        return out;
    }

    /**
     * The body's buffer: up to 16 KiB (JSON arrives in Jackson's 8 KB flushes, CSV row by row), starting at 1 KiB
     * as most answers are a few rows. A flush (Jackson flushes when the envelope is written, before the rows) moves
     * bytes on to the response but does not push them to the socket: the server sends when its own buffer fills or
     * the body ends. Pushing them made every small answer chunked and two writes (the headers and the envelope's
     * start, then the rest), where a body that ends within the buffer goes out in one, with a Content-Length.
     */
    private static final class BodyBuffer extends OutputStream {
        private static final int CAPACITY = 16 * 1024;
        private final OutputStream out;
        private byte[] buf = new byte[1024];
        private int count;

        BodyBuffer(OutputStream response) {
            this.out = response;
        }

        @Override
        public void write(int b) throws java.io.IOException {
            if (count == buf.length) {
                makeRoom(1);
            }
            buf[count++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) throws java.io.IOException {
            if (count + len > buf.length) {
                makeRoom(len);
                if (len >= CAPACITY) {
                    out.write(b, off, len); // bigger than the buffer could ever be: it goes on as it is
                    return;
                }
            }
            System.arraycopy(b, off, buf, count, len);
            count += len;
        }

        /** Grows the buffer toward its capacity for {@code len} more bytes, or hands what it holds on. */
        private void makeRoom(int len) throws java.io.IOException {
            if (count + len > CAPACITY) {
                flush();
            }
            if (count + len > buf.length && len < CAPACITY) {
                buf = java.util.Arrays.copyOf(buf, Math.min(CAPACITY, Math.max(buf.length * 2, count + len)));
            }
        }

        @Override
        public void flush() throws java.io.IOException {
            if (count > 0) {
                out.write(buf, 0, count);
                count = 0;
            }
        }

        @Override
        public void close() throws java.io.IOException {
            try (OutputStream response = out) {
                flush();
            }
        }
    }

    /** Starts the body and returns a JSON generator on it, after the JSONP {@code callback(} prefix when one is given. */
    JsonGenerator startJson(String callback) throws java.io.IOException {
        JsonGenerator g = Json.FACTORY.createGenerator(start());
        g.setRootValueSeparator(new SerializedString(""));
        if (callback != null) {
            g.writeRaw(callback + "(");
        }
        return g;
    }

    /** {@code <inline|attachment>; filename=<name>.<ext>; modification-date="<UTC date>";} with the name sanitised as CARTO does. */
    static String contentDisposition(SqlParams p) {
        return (p.inline() ? "inline" : "attachment") + "; filename=" + filename(p.filename()) + "." + p.format().extension()
                + "; modification-date=\"" + HttpDates.format(System.currentTimeMillis()) + "\";";
    }

    static String filename(String requested) {
        if (requested == null || requested.isBlank()) {
            return "cartodb-query";
        }
        String base = requested.substring(requested.lastIndexOf('/') + 1);
        int dot = base.lastIndexOf('.');
        if (dot > 0) {
            base = base.substring(0, dot);
        }
        base = base.replaceAll("[;()\\[\\]<>'\"\\s]", "_");
        return base.isEmpty() ? "cartodb-query" : base;
    }
}
