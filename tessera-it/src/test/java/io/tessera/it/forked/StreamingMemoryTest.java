package io.tessera.it.forked;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.client.sql.GeoJsonFeatureStream;
import io.tessera.client.sql.SqlClient;
import io.tessera.client.sql.SqlOptions;
import io.tessera.client.sql.SqlRowStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The server streams: forked with {@code -Xmx64m} (and exit on OOM), it sends ≥ 3× its heap as JSON, CSV and
 * GeoJSON, read through the SDK one row/feature/buffer at a time, and still answers afterwards.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(170)
class StreamingMemoryTest {
    private static final long HEAP = 64L << 20;
    private static final long MIN_BYTES = 3 * HEAP;
    private static final int ROWS = 1_000_000;

    private Path home;
    private ForkedServer server;
    private SqlClient sql;

    @BeforeAll
    void startServer() throws Exception {
        home = ForkedServer.tempDir("tessera-stream-");
        try {
            server = ForkedServer.start(ForkedServer.Launch.of(home.resolve("home"))
                    .withJvmArgs("-Xmx64m", "-XX:+ExitOnOutOfMemoryError")
                    .withEnv("TESSERA_SQL_TIMEOUT_MS", "150000"));
        } catch (Exception | Error e) {
            ForkedServer.deleteTree(home);
            throw e;
        }
        sql = server.sql();
    }

    @AfterAll
    void stopServer() {
        try {
            if (server != null) {
                server.close();
            }
        } finally {
            ForkedServer.deleteTree(home);
        }
    }

    @Test
    void jsonRowsStreamWithoutHoldingTheResult() {
        String q = "SELECT g AS id, md5(g::text) AS a, repeat('x', 200) AS b FROM generate_series(1, " + ROWS + ") g";
        CountingInputStream body = new CountingInputStream(sql.openStream(q, SqlOptions.defaults().withFormat("json")));
        long rows = 0;
        long idSum = 0;
        try (SqlRowStream stream = new SqlRowStream(body)) {
            while (stream.hasNext()) {
                JsonNode row = stream.next();
                idSum += row.get("id").asLong();
                rows++;
            }
            assertThat(stream.totalRows()).isEqualTo(ROWS);
        }
        report("json", body.count);
        assertThat(rows).isEqualTo(ROWS);
        assertThat(idSum).isEqualTo((long) ROWS * (ROWS + 1) / 2);
        assertThat(body.count).isGreaterThanOrEqualTo(MIN_BYTES);
        assertServerHealthy();
    }

    @Test
    void csvStreamsWithoutHoldingTheResult() throws IOException {
        String q = "SELECT g AS id, md5(g::text) AS a, repeat('x', 200) AS b FROM generate_series(1, " + ROWS + ") g";
        long bytes = 0;
        long lines = 0;
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = sql.openStream(q, SqlOptions.defaults().withFormat("csv"))) {
            int n;
            while ((n = in.read(buf)) > 0) {
                bytes += n;
                for (int i = 0; i < n; i++) {
                    if (buf[i] == '\n') {
                        lines++;
                    }
                }
            }
        }
        report("csv", bytes);
        assertThat(lines).as("header + rows").isEqualTo(ROWS + 1L);
        assertThat(bytes).isGreaterThanOrEqualTo(MIN_BYTES);
        assertServerHealthy();
    }

    @Test
    void geoJsonFeaturesStreamWithoutHoldingTheResult() {
        String q = "SELECT g AS id, repeat('x', 200) AS b, ST_SetSRID(ST_MakePoint(g % 180, g % 80), 4326) AS the_geom"
                + " FROM generate_series(1, " + ROWS + ") g";
        CountingInputStream body = new CountingInputStream(sql.openStream(q, SqlOptions.defaults().withFormat("geojson")));
        long features = 0;
        long points = 0;
        try (GeoJsonFeatureStream stream = new GeoJsonFeatureStream(body)) {
            while (stream.hasNext()) {
                JsonNode f = stream.next();
                if ("Point".equals(f.path("geometry").path("type").asText())) {
                    points++;
                }
                features++;
            }
        }
        report("geojson", body.count);
        assertThat(features).isEqualTo(ROWS);
        assertThat(points).isEqualTo(ROWS);
        assertThat(body.count).isGreaterThanOrEqualTo(MIN_BYTES);
        assertServerHealthy();
    }

    private void assertServerHealthy() {
        assertThat(server.process().isAlive()).as("forked server alive (it exits on OutOfMemoryError)\n%s", server.output())
                .isTrue();
        JsonNode r = sql.send("SELECT 41 + 1 AS answer");
        assertThat(r.path("rows").get(0).path("answer").asInt()).isEqualTo(42);
        assertThat(server.output()).doesNotContain("OutOfMemoryError");
    }

    private static void report(String format, long bytes) {
        System.out.printf("StreamingMemoryTest: %s streamed %,d bytes (%.1f× the forked server's %d MB heap)%n",
                format, bytes, (double) bytes / HEAP, HEAP >> 20);
    }

    /** Counts the bytes read through it. */
    static final class CountingInputStream extends FilterInputStream {
        long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long s = super.skip(n);
            count += s;
            return s;
        }
    }
}
