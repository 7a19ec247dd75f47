package io.tessera.client.sql;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.client.CartoException;
import io.tessera.client.auth.AuthClient;
import io.tessera.client.http.ApiRequest;
import io.tessera.client.http.Param;
import io.tessera.client.http.Responses;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.zip.GZIPInputStream;

/**
 * The COPY API ({@code api/<version>/sql/copyfrom} and {@code copyto}), as carto-python's {@code CopySQLClient}:
 * uploads stream chunked (gzip level 1 unless turned off) from rows, a stream or a file; downloads stream to an
 * output stream, a file, or a stream the caller reads (gzip accepted and undone here). Nothing is held whole.
 */
public class CopySqlClient {
    private final AuthClient auth;
    private final String path;

    public CopySqlClient(AuthClient auth) {
        this(auth, "v2");
    }

    public CopySqlClient(AuthClient auth, String apiVersion) {
        this.auth = Objects.requireNonNull(auth, "auth");
        this.path = "api/" + Objects.requireNonNull(apiVersion, "apiVersion") + "/sql/";
    }

    /** Uploads {@code rows} (each one line of the COPY format, without its newline), gzip-compressed. */
    public JsonNode copyFrom(String query, Iterable<? extends CharSequence> rows) {
        return copyFrom(query, rows, true);
    }

    /** Uploads {@code rows}; {@code compress} gzips the body on the way. */
    public JsonNode copyFrom(String query, Iterable<? extends CharSequence> rows, boolean compress) {
        return copyFrom(query, new RowsInputStream(rows.iterator()), compress);
    }

    /** Uploads a file, gzip-compressed. */
    public JsonNode copyFrom(String query, Path file) {
        return copyFrom(query, file, true);
    }

    public JsonNode copyFrom(String query, Path file, boolean compress) {
        try (InputStream in = Files.newInputStream(file)) {
            return copyFrom(query, in, compress);
        } catch (IOException e) {
            throw new CartoException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Uploads everything {@code data} gives until its end (the caller closes it), chunked; answers
     * {@code {"time":…, "total_rows":…}}. {@code data} is read once: a request that must be resent fails.
     */
    public JsonNode copyFrom(String query, InputStream data, boolean compress) {
        Objects.requireNonNull(data, "data");
        InputStream body = compress ? new GzipCompressingInputStream(data) : data;
        ApiRequest r = ApiRequest.post(path + "copyfrom").withQuery(List.of(new Param("q", query)))
                .withBody("application/octet-stream", () -> BodyPublishers.ofInputStream(() -> body));
        if (compress) {
            r = r.withHeader("Content-Encoding", "gzip");
        }
        return Responses.json(auth.send(r));
    }

    /** Streams the result of {@code COPY … TO STDOUT} into {@code out}; returns the bytes written. */
    public long copyTo(String query, OutputStream out) {
        try (InputStream in = copyToStream(query)) {
            return in.transferTo(out);
        } catch (IOException e) {
            throw new CartoException("copyto failed: " + e.getMessage(), e);
        }
    }

    /** Streams the result of {@code COPY … TO STDOUT} into {@code file} (replacing it); returns the bytes written. */
    public long copyTo(String query, Path file) {
        try (OutputStream out = Files.newOutputStream(file)) {
            return copyTo(query, out);
        } catch (IOException e) {
            throw new CartoException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The result of {@code COPY … TO STDOUT} as a stream the caller reads and closes. Queries of 1024 characters
     * or more are POSTed with their parameters still in the query string, as carto-python does.
     */
    public InputStream copyToStream(String query) {
        return copyToStream(query, true);
    }

    /**
     * {@link #copyToStream(String)}, choosing whether to accept a gzipped answer (carto-python always does; turning
     * it off trades bandwidth for the server's CPU).
     */
    public InputStream copyToStream(String query, boolean acceptGzip) {
        boolean post = query.codePointCount(0, query.length()) >= SqlClient.MAX_GET_QUERY_LENGTH;
        ApiRequest r = (post ? ApiRequest.post(path + "copyto") : ApiRequest.get(path + "copyto"))
                .withQuery(List.of(new Param("q", query)));
        if (acceptGzip) {
            r = r.withHeader("Accept-Encoding", "gzip");
        }
        HttpResponse<InputStream> response = auth.send(r);
        InputStream body = Responses.bodyOrThrow(response);
        boolean gzip = response.headers().firstValue("Content-Encoding").map(v -> v.equalsIgnoreCase("gzip")).orElse(false);
        try {
            return gzip ? new GZIPInputStream(body, 64 * 1024) : body;
        } catch (IOException e) {
            throw new CartoException("copyto answered a broken gzip stream: " + e.getMessage(), e);
        }
    }

    /** Rows as lines, produced as they are read. */
    private static final class RowsInputStream extends InputStream {
        private final Iterator<? extends CharSequence> rows;
        private ByteArrayInputStream current = new ByteArrayInputStream(new byte[0]);

        RowsInputStream(Iterator<? extends CharSequence> rows) {
            this.rows = rows;
        }

        private boolean advance() {
            if (!rows.hasNext()) {
                return false;
            }
            current = new ByteArrayInputStream((rows.next() + "\n").getBytes(StandardCharsets.UTF_8));
            return true;
        }

        @Override
        public int read() {
            int b;
            while ((b = current.read()) < 0) {
                if (!advance()) {
                    return -1;
                }
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            int total = 0;
            while (total < len) {
                int n = current.read(b, off + total, len - total);
                if (n > 0) {
                    total += n;
                } else if (!advance()) {
                    break;
                }
            }
            return total == 0 ? -1 : total;
        }
    }
}
