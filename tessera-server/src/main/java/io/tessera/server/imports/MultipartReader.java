package io.tessera.server.imports;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A streaming {@code multipart/form-data} reader (RFC 7578): parts come one at a time and each body is
 * an {@link InputStream} that ends at the next boundary, so a file part goes to disk without being held
 * in memory. Part headers are capped; a body that never reaches its boundary is a truncated upload.
 */
public final class MultipartReader {
    private static final int MAX_PART_HEADERS = 16 * 1024;
    private static final Pattern NAME = Pattern.compile("(?i)[; ]name=\"([^\"]*)\"");
    private static final Pattern FILENAME = Pattern.compile("(?i)filename=\"([^\"]*)\"");

    /** One part: its field name, its file name if it is a file, and its body stream. */
    public record Part(String name, Optional<String> filename, InputStream body) {
    }

    private final InputStream in;
    private final byte[] delimiter;   // CRLF "--" boundary
    private final byte[] buf = new byte[1 << 16];
    private int start;
    private int end;
    private boolean finished;
    private boolean first = true;

    public MultipartReader(InputStream in, String boundary) {
        this.in = in;
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The boundary parameter of a multipart Content-Type, if it is one. */
    public static Optional<String> boundary(String contentType) {
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            return Optional.empty();
        }
        Matcher m = Pattern.compile("(?i)boundary=\"?([^\";]+)\"?").matcher(contentType);
        return m.find() ? Optional.of(m.group(1).trim()) : Optional.empty();
    }

    /** The next part, or empty after the closing boundary. The previous part's body must be drained or skipped. */
    public Optional<Part> next() throws IOException {
        if (finished) {
            return Optional.empty();
        }
        if (first) {
            first = false;
            // The first boundary may come without the leading CRLF.
            fill(delimiter.length);
            if (end - start >= delimiter.length - 2
                    && Arrays.equals(buf, start, start + delimiter.length - 2, delimiter, 2, delimiter.length)) {
                start += delimiter.length - 2;
            } else {
                bodyOpen = true; // a preamble: skip it up to the first delimiter
                skipPart();
            }
        } else {
            skipPart();
        }
        fill(2);
        if (end - start >= 2 && buf[start] == '-' && buf[start + 1] == '-') {
            finished = true;
            return Optional.empty();
        }
        String headers = readHeaders();
        String disposition = "";
        for (String line : headers.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-disposition:")) {
                disposition = line;
            }
        }
        Matcher n = NAME.matcher(disposition);
        Matcher f = FILENAME.matcher(disposition);
        return Optional.of(new Part(n.find() ? n.group(1) : "", f.find() ? Optional.of(f.group(1)) : Optional.empty(), new Body()));
    }

    private boolean bodyOpen;

    private void skipPart() throws IOException {
        if (bodyOpen) {
            new Body().transferTo(OutputStreamSink.INSTANCE);
        }
        // after the delimiter: either "--" or CRLF; the CRLF is consumed by readHeaders' caller
    }

    private String readHeaders() throws IOException {
        // consume the CRLF that ends the boundary line
        fill(2);
        if (end - start >= 2 && buf[start] == '\r' && buf[start + 1] == '\n') {
            start += 2;
        }
        ByteArrayOutputStream h = new ByteArrayOutputStream();
        while (true) {
            fill(4);
            if (end - start >= 4 && buf[start] == '\r' && buf[start + 1] == '\n' && buf[start + 2] == '\r' && buf[start + 3] == '\n') {
                start += 4;
                break;
            }
            if (end - start >= 2 && h.size() == 0 && buf[start] == '\r' && buf[start + 1] == '\n') {
                start += 2; // a part without headers
                break;
            }
            if (end == start) {
                throw new IOException("truncated multipart body");
            }
            h.write(buf[start++]);
            if (h.size() > MAX_PART_HEADERS) {
                throw new IOException("multipart part headers too large");
            }
        }
        bodyOpen = true;
        return h.toString(StandardCharsets.UTF_8);
    }

    /** Makes at least {@code n} bytes available if the stream has them. */
    private void fill(int n) throws IOException {
        if (end - start >= n) {
            return;
        }
        if (start > 0) {
            System.arraycopy(buf, start, buf, 0, end - start);
            end -= start;
            start = 0;
        }
        while (end - start < n) {
            int r = in.read(buf, end, buf.length - end);
            if (r < 0) {
                return;
            }
            end += r;
        }
    }

    /** The body of the current part: ends right before the delimiter, which it consumes. */
    private final class Body extends InputStream {
        private boolean done;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (done || !bodyOpen) {
                return -1;
            }
            fill(delimiter.length + 1);
            int avail = end - start;
            if (avail == 0) {
                throw new IOException("truncated multipart body");
            }
            int match = indexOf(start, end);
            if (match == start) {
                start += delimiter.length;
                done = true;
                bodyOpen = false;
                return -1;
            }
            int safe = match >= 0 ? match - start : Math.max(0, avail - delimiter.length + 1);
            if (safe == 0) {
                if (avail < delimiter.length) {
                    throw new IOException("truncated multipart body");
                }
                safe = 1;
            }
            int n = Math.min(len, safe);
            System.arraycopy(buf, start, b, off, n);
            start += n;
            return n;
        }

        private int indexOf(int from, int to) {
            outer:
            for (int i = from; i <= to - delimiter.length; i++) {
                for (int j = 0; j < delimiter.length; j++) {
                    if (buf[i + j] != delimiter[j]) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }
    }

    /** Discards bytes. */
    private static final class OutputStreamSink extends java.io.OutputStream {
        static final OutputStreamSink INSTANCE = new OutputStreamSink();

        @Override
        public void write(int b) {
        }

        @Override
        public void write(byte[] b, int off, int len) {
        }
    }
}
