package io.tessera.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessera.server.auth.Accounts;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * A client that reads slowly makes the server's socket writes partial. The body must still arrive
 * whole and correctly chunked (Helidon 4.4.0's NIO writer dropped bytes here, helidon#11340).
 * The chunked framing is decoded strictly by hand, so a lost byte fails the test.
 */
class SlowReaderTest {
    private static final int ROWS = 400_000;

    @Test
    void slowReaderGetsEveryRowInValidChunks() throws Exception {
        Accounts.Created user = TesseraHarness.newUser("slow");
        String q = URLEncoder.encode("SELECT g AS id, md5(g::text) AS h FROM generate_series(1," + ROWS + ") g", StandardCharsets.UTF_8);
        String path = "/user/" + user.user().username() + "/api/v2/sql?api_key=" + user.masterKey() + "&q=" + q;
        byte[] body;
        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(8 * 1024); // small window: the server's writes block and split
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", TesseraHarness.server().port()));
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = new SlowStream(socket.getInputStream());
            String head = readHead(in);
            assertThat(head).startsWith("HTTP/1.1 200").containsIgnoringCase("transfer-encoding: chunked");
            body = dechunk(in);
        }
        JsonNode json = new ObjectMapper().readTree(body);
        assertThat(json.get("total_rows").asInt()).isEqualTo(ROWS);
        JsonNode rows = json.get("rows");
        assertThat(rows.size()).isEqualTo(ROWS);
        for (int i = 0; i < ROWS; i += 997) {
            assertThat(rows.get(i).get("id").asInt()).isEqualTo(i + 1);
        }
        assertThat(rows.get(ROWS - 1).get("id").asInt()).isEqualTo(ROWS);
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("connection closed in the response head: " + head);
            }
            head.append((char) c);
        }
        return head.toString();
    }

    /** Strict chunked decoding: hex size, CRLF, exactly that many bytes, CRLF; ends at the zero chunk. */
    private static byte[] dechunk(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine(in);
            int size = Integer.parseInt(sizeLine, 16);
            if (size == 0) {
                assertThat(readLine(in)).as("trailer end").isEmpty();
                return body.toByteArray();
            }
            byte[] chunk = in.readNBytes(size);
            assertThat(chunk.length).as("chunk of %d bytes arrived whole", size).isEqualTo(size);
            body.write(chunk);
            assertThat(readLine(in)).as("CRLF after a %d-byte chunk at body offset %d", size, body.size()).isEmpty();
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("connection closed mid-line: " + line);
            }
            if (c == '\r') {
                int lf = in.read();
                if (lf != '\n') {
                    throw new IOException("CR without LF after: " + line);
                }
                return line.toString();
            }
            line.append((char) c);
            if (line.length() > 16) {
                throw new IOException("chunk framing lost: " + line);
            }
        }
    }

    /** Reads at most 4 KiB at a time and pauses every 64 KiB, so the server's socket buffer fills. */
    private static final class SlowStream extends java.io.FilterInputStream {
        private long sincePause;

        SlowStream(InputStream in) {
            super(new java.io.BufferedInputStream(in, 4096));
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, Math.min(len, 4096));
            pace(n);
            return n;
        }

        @Override
        public int read() throws IOException {
            int c = super.read();
            pace(1);
            return c;
        }

        private void pace(int n) {
            sincePause += Math.max(n, 0);
            if (sincePause >= 256 * 1024) {
                sincePause = 0;
                LockSupport.parkNanos(10_000_000);
            }
        }
    }
}
