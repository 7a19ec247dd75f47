package io.tessera.it.forked;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.client.auth.ApiKeyAuthClient;
import io.tessera.client.sql.CopySqlClient;
import io.tessera.client.sql.SqlClient;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * COPY streams both ways: a server forked with {@code -Xmx64m} (exiting on OutOfMemoryError) takes an upload of
 * ≥ 3× its heap through copyfrom and sends it all back through copyto, read as a stream through the SDK; the bytes
 * that come back are the bytes that went in.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(280)
class CopyMemoryTest {
    private static final long HEAP = 64L << 20;
    private static final int ROWS = 1_000_000;
    private static final String PAD = "x".repeat(200);

    private Path home;
    private ForkedServer server;
    private SqlClient sql;
    private CopySqlClient copy;

    @BeforeAll
    void startServer() throws Exception {
        home = ForkedServer.tempDir("tessera-copy-mem-");
        try {
            server = ForkedServer.start(ForkedServer.Launch.of(home.resolve("home"))
                    .withJvmArgs("-Xmx64m", "-XX:+ExitOnOutOfMemoryError"));
        } catch (Exception | Error e) {
            ForkedServer.deleteTree(home);
            throw e;
        }
        sql = server.sql();
        copy = new CopySqlClient(new ApiKeyAuthClient(server.baseUrl(), server.apiKey()));
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

    /** The rows, generated as they are read: {@code id<TAB>pad}. */
    private static InputStream rows(CRC32 crc, long[] bytes) {
        return new InputStream() {
            private int next = 1;
            private byte[] line = new byte[0];
            private int pos;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (pos == line.length) {
                    if (next > ROWS) {
                        return -1;
                    }
                    line = (next++ + "\t" + PAD + "\n").getBytes(StandardCharsets.US_ASCII);
                    pos = 0;
                    crc.update(line);
                    bytes[0] += line.length;
                }
                int n = Math.min(len, line.length - pos);
                System.arraycopy(line, pos, b, off, n);
                pos += n;
                return n;
            }
        };
    }

    @Test
    void moreThanThreeHeapsGoInAndComeBackOut() throws Exception {
        sql.send("CREATE TABLE big (id int, pad text)");
        CRC32 sent = new CRC32();
        long[] sentBytes = {0};
        JsonNode in = copy.copyFrom("COPY big (id, pad) FROM STDIN", rows(sent, sentBytes), false);
        assertThat(in.path("total_rows").asLong()).isEqualTo(ROWS);
        System.out.printf("CopyMemoryTest: copyfrom streamed %,d bytes (%.1f× the forked server's heap)%n",
                sentBytes[0], (double) sentBytes[0] / HEAP);
        assertThat(sentBytes[0]).isGreaterThanOrEqualTo(3 * HEAP);
        assertHealthy();

        CRC32 received = new CRC32();
        long receivedBytes = 0;
        byte[] buf = new byte[64 * 1024];
        try (InputStream out = copy.copyToStream("COPY (SELECT id, pad FROM big ORDER BY id) TO STDOUT")) {
            int n;
            while ((n = out.read(buf)) >= 0) {
                received.update(buf, 0, n);
                receivedBytes += n;
            }
        }
        System.out.printf("CopyMemoryTest: copyto streamed %,d bytes (%.1f× the forked server's heap)%n",
                receivedBytes, (double) receivedBytes / HEAP);
        assertThat(receivedBytes).isEqualTo(sentBytes[0]);
        assertThat(received.getValue()).isEqualTo(sent.getValue());
        assertHealthy();
    }

    private void assertHealthy() {
        assertThat(server.process().isAlive()).as("forked server alive (it exits on OutOfMemoryError)\n%s", server.output())
                .isTrue();
        assertThat(sql.send("SELECT 41 + 1 AS answer").path("rows").get(0).path("answer").asInt()).isEqualTo(42);
        assertThat(server.output()).doesNotContain("OutOfMemoryError");
    }
}
