package io.tessera.server.sql;

import com.fasterxml.jackson.core.JsonGenerator;
import io.tessera.server.http.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes exported rows as JSON bytes straight into a buffer of its own: field names encoded once, numbers and
 * json copied as the server sent them, strings escaped from their UTF-8 bytes, dates formatted without a
 * String between. The bytes are the ones Jackson writes for the same values (compact, {@code "} {@code \}
 * and control characters escaped, upper-case {@code \\u00XX}); Jackson still writes each response's envelope
 * and the values that arrive as Java objects ({@link ValueWriter#write(JsonGenerator, Object, Column)}), through
 * a generator of this encoder's own. Why: per value, Jackson's checks and char conversions were most of an
 * export's CPU.
 */
final class JsonRowEncoder {
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
    static final byte[] NULL = ascii("null");
    private static final byte[] TRUE = ascii("true");
    private static final byte[] FALSE = ascii("false");

    private final OutputStream out;
    private final ValueWriter values;
    private final ByteArrayOutputStream objectBytes = new ByteArrayOutputStream();
    private JsonGenerator objects;
    /** What the buffer grows to before it is flushed instead; it starts small, as most answers are a few rows. */
    private static final int CAPACITY = 64 * 1024;
    private byte[] buf = new byte[1024];
    private final byte[] date = new byte[40];
    private int len;

    JsonRowEncoder(OutputStream out, ValueWriter values) {
        this.out = out;
        this.values = values;
    }

    /** The members of a JSON object written per row: the columns at {@code indexes}, names encoded once. */
    static final class Members {
        private final int[] indexes;
        private final Column[] columns;
        private final byte[][] names;

        Members(ResultColumns result, int[] indexes) {
            this.indexes = indexes;
            this.columns = new Column[indexes.length];
            this.names = new byte[indexes.length][];
            for (int k = 0; k < indexes.length; k++) {
                columns[k] = result.column(indexes[k]);
                names[k] = fieldName(columns[k].name());
            }
        }

        /** {@code "a":1,"b":"x"} from a row {@link RowPipe} read (values by JDBC index), without the braces. */
        void write(JsonRowEncoder out, Object[] row) throws IOException {
            for (int k = 0; k < indexes.length; k++) {
                if (k > 0) {
                    out.raw((byte) ',');
                }
                out.raw(names[k]);
                out.value(row[indexes[k]], columns[k]);
            }
        }
    }

    /**
     * Encoded names of recent columns: most requests name the same few columns again, and encoding them was most of
     * what a point query allocated. The arrays are shared and never written to.
     */
    private static final com.github.benmanes.caffeine.cache.Cache<String, byte[]> NAMES =
            com.github.benmanes.caffeine.cache.Caffeine.newBuilder().maximumSize(4_096).build();

    /** {@code "name":}, escaped as a JSON string, ready to copy before each value. */
    static byte[] fieldName(String name) {
        return NAMES.get(name, JsonRowEncoder::encodeFieldName);
    }

    private static byte[] encodeFieldName(String name) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        JsonRowEncoder e = new JsonRowEncoder(bytes, null);
        try {
            e.string(name.getBytes(StandardCharsets.UTF_8));
            e.raw((byte) ':');
            e.flush();
        } catch (IOException impossible) {
            throw new java.io.UncheckedIOException(impossible);
        }
        return bytes.toByteArray();
    }

    void raw(byte b) throws IOException {
        ensure(1);
        buf[len++] = b;
    }

    void raw(byte[] b) throws IOException {
        if (b.length > CAPACITY / 4) {
            flush(); // a big value goes out as it is
            out.write(b);
            return;
        }
        ensure(b.length);
        System.arraycopy(b, 0, buf, len, b.length);
        len += b.length;
    }

    /** One value as {@link ValueWriter#read} returned it for a column of {@code c}'s kind. */
    void value(Object v, Column c) throws IOException {
        if (v == null) {
            raw(NULL);
            return;
        }
        if (v instanceof byte[] b && c.text()) {
            switch (c.kind()) {
                case BOOL -> {
                    raw(b[0] == 't' ? TRUE : FALSE);
                    return;
                }
                case NUMBER, FLOAT -> {
                    if (ValueWriter.isSpecialNumber(b)) {
                        string(b); // NaN, ±Infinity as strings, as in CARTO
                    } else {
                        raw(b);
                    }
                    return;
                }
                case JSON -> {
                    raw(b);
                    return;
                }
                case STRING -> {
                    string(b);
                    return;
                }
                case DATE, TIMESTAMP, TIMESTAMPTZ -> {
                    int n = values.dateText(b, date);
                    if (n == 0) {
                        raw(NULL);
                    } else {
                        ensure(n + 2);
                        buf[len++] = '"';
                        System.arraycopy(date, 0, buf, len, n);
                        len += n;
                        buf[len++] = '"';
                    }
                    return;
                }
                default -> {
                    // below
                }
            }
        }
        object(v, c);
    }

    /** A value that is a Java object (arrays, intervals, bytea, binary columns): Jackson writes it. */
    private void object(Object v, Column c) throws IOException {
        if (objects == null) {
            objects = Json.FACTORY.createGenerator(objectBytes);
            objects.setRootValueSeparator(null);
        }
        values.write(objects, v, c);
        objects.flush();
        raw(objectBytes.toByteArray());
        objectBytes.reset();
    }

    /** A JSON string of UTF-8 bytes: quotes, backslashes and control characters escaped, the rest as is. */
    void string(byte[] s) throws IOException {
        ensure(1);
        buf[len++] = '"';
        int run = 0; // start of the bytes not copied yet: runs without escapes are copied whole
        for (int i = 0; i < s.length; i++) {
            byte b = s[i];
            if (b < 0x20 && b >= 0 || b == '"' || b == '\\') {
                copy(s, run, i - run);
                escape(b);
                run = i + 1;
            }
        }
        copy(s, run, s.length - run);
        ensure(1);
        buf[len++] = '"';
    }

    private void copy(byte[] s, int off, int n) throws IOException {
        if (n > CAPACITY / 4) {
            flush();
            out.write(s, off, n);
            return;
        }
        ensure(n);
        System.arraycopy(s, off, buf, len, n);
        len += n;
    }

    private void escape(byte b) throws IOException {
        ensure(6);
        buf[len++] = '\\';
        switch (b) {
            case '"' -> buf[len++] = '"';
            case '\\' -> buf[len++] = '\\';
            case '\n' -> buf[len++] = 'n';
            case '\r' -> buf[len++] = 'r';
            case '\t' -> buf[len++] = 't';
            case '\b' -> buf[len++] = 'b';
            case '\f' -> buf[len++] = 'f';
            default -> {
                buf[len++] = 'u';
                buf[len++] = '0';
                buf[len++] = '0';
                buf[len++] = HEX[(b >> 4) & 0xF];
                buf[len++] = HEX[b & 0xF];
            }
        }
    }

    /** Hands what is buffered to the output once it is past half full (called between rows). */
    void flushIfFull() throws IOException {
        if (len >= CAPACITY / 2) {
            flush();
        }
    }

    void flush() throws IOException {
        if (len > 0) {
            out.write(buf, 0, len);
            len = 0;
        }
    }

    /**
     * Room for {@code n} more bytes (n is small: raw() sends big arrays past the buffer). The buffer doubles up to
     * its capacity first: a whole 64 KiB per response (and per field name) was nearly all a point query allocated.
     */
    private void ensure(int n) throws IOException {
        if (len + n <= buf.length) {
            return;
        }
        if (buf.length < CAPACITY) {
            buf = java.util.Arrays.copyOf(buf, Math.min(CAPACITY, Math.max(buf.length * 2, len + n)));
            if (len + n <= buf.length) {
                return;
            }
        }
        flush();
    }

    /** The bytes of JSON text that is all ASCII (literals, fixed member names), for {@link #raw(byte[])}. */
    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
