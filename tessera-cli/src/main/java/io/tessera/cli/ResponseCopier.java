package io.tessera.cli;

import io.tessera.client.CartoException;
import io.tessera.client.sql.GeoJsonFeatureStream;
import io.tessera.client.sql.SqlRowStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Copies a SQL API answer byte for byte while checking it. A JSON or GeoJSON answer can end with an
 * {@code "error"} member when the query failed after rows were sent (status 200), so those bodies are also fed,
 * as they pass, to the SDK's streaming parser, which skips the rows without keeping them and throws that error at
 * the end. Memory stays flat for any result size.
 */
final class ResponseCopier {

    private ResponseCopier() {
    }

    /**
     * Copies {@code body} to {@code out} completely, then throws {@link io.tessera.client.CartoException} if the
     * answer reported an error at its end. Closes {@code body}.
     */
    static void copy(InputStream body, OutputStream out, SqlFormat format) throws IOException {
        try (Tee tee = new Tee(body, out)) {
            CartoException failure = null;
            try {
                // The readers are not closed here: that would close the body before the drain below.
                switch (format) {
                    case CSV, TOPOJSON, SVG, ARRAYBUFFER, KML, SHP, GPKG, SPATIALITE -> { } // whole files: errors come as a status
                    case JSON -> new SqlRowStream(tee).finish();
                    case GEOJSON -> new GeoJsonFeatureStream(tee).finish();
                }
            } catch (CartoException e) {
                failure = e;
            }
            try {
                // The parser stops at the closing brace; whatever follows (a newline) is still part of the answer.
                tee.transferTo(OutputStream.nullOutputStream());
            } catch (IOException e) {
                if (failure == null) {
                    throw e;
                }
                failure.addSuppressed(e);
            }
            if (failure != null) {
                throw failure;
            }
        }
    }

    /** Writes every byte read from the wrapped stream to {@code copy}, exactly once and in order. */
    private static final class Tee extends FilterInputStream {
        private final OutputStream copy;

        Tee(InputStream in, OutputStream copy) {
            super(in);
            this.copy = copy;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                copy.write(b);
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = super.read(buf, off, len);
            if (n > 0) {
                copy.write(buf, off, n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            // Skipped bytes must still be copied, so skipping reads.
            int len = (int) Math.min(Math.max(n, 0), 8192);
            return len == 0 ? 0 : Math.max(0, read(new byte[len], 0, len));
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }
}
