package io.tessera.server.sql;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CARTO's column-oriented binary layout for {@code format=arraybuffer} (sql-api.md §2.5, the SQL API's
 * {@code bin-encoder}): every block is {@code uint32BE type, uint32BE size} and then its data, little-endian;
 * a block of strings or of blocks starts each element on a 4-byte boundary of the enclosing block. The
 * result is a block of blocks: the column names (a string block), then one block per column.
 */
final class ArrayBufferLayout {
    static final int INT8 = 1;
    static final int UINT8 = 2;
    static final int UINT8_CLAMP = 3;
    static final int INT16 = 4;
    static final int UINT16 = 5;
    static final int INT32 = 6;
    static final int UINT32 = 7;
    static final int FLOAT32 = 8;
    static final int STRING = 10;
    static final int BUFFER = 11;
    private static final int HEADER = 8;
    private static final int[] SIZES = {0, 1, 1, 1, 2, 2, 4, 4, 4};
    private static final Pattern HINT = Pattern.compile(".*__(uintclamp|uint|int|float)(8|16|32)", Pattern.CASE_INSENSITIVE);

    private ArrayBufferLayout() {
    }

    /** The number type a column name asks for with a {@code __int16}-style suffix, or {@link #FLOAT32}. */
    static int hintedType(String name) {
        Matcher m = HINT.matcher(name);
        if (!m.matches()) {
            return FLOAT32;
        }
        return switch (m.group(1).toLowerCase(Locale.ROOT) + m.group(2)) {
            case "int8" -> INT8;
            case "uint8" -> UINT8;
            case "uintclamp8" -> UINT8_CLAMP;
            case "int16" -> INT16;
            case "uint16" -> UINT16;
            case "int32" -> INT32;
            case "uint32" -> UINT32;
            case "float32" -> FLOAT32;
            default -> FLOAT32; // uintclamp16/32, float8/16: the encoder knows no such type and writes float32
        };
    }

    /** A block of numbers of one type; a value out of the type's range is refused, as Node's Buffer does. */
    static byte[] numbers(int type, double[] values) {
        ByteBuffer b = header(type, SIZES[type] * values.length);
        for (double v : values) {
            switch (type) {
                case INT8 -> b.put((byte) integer(v, -128, 127));
                case UINT8 -> b.put((byte) integer(v, 0, 255));
                case UINT8_CLAMP -> b.put((byte) integer(Math.min(255, v), 0, 255));
                case INT16 -> b.putShort((short) integer(v, -32768, 32767));
                case UINT16 -> b.putShort((short) integer(v, 0, 65535));
                case INT32 -> b.putInt((int) integer(v, Integer.MIN_VALUE, Integer.MAX_VALUE));
                case UINT32 -> b.putInt((int) integer(v, 0, 4294967295L));
                default -> b.putFloat((float) v);
            }
        }
        return b.array();
    }

    /** A block of strings, each a block of UTF-16 code units. */
    static byte[] strings(List<String> values) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String s : values) {
            ByteBuffer units = header(UINT16, 2 * s.length());
            for (int i = 0; i < s.length(); i++) {
                units.putShort((short) s.charAt(i));
            }
            padded(out, units.array());
        }
        return withHeader(STRING, out.toByteArray());
    }

    /** A block of blocks. */
    static byte[] blocks(List<byte[]> values) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        values.forEach(v -> padded(out, v));
        return withHeader(BUFFER, out.toByteArray());
    }

    private static void padded(ByteArrayOutputStream out, byte[] block) {
        while ((HEADER + out.size()) % 4 != 0) {
            out.write(0);
        }
        out.writeBytes(block);
    }

    private static long integer(double v, long min, long max) {
        if (Double.isNaN(v) || v < min || v > max) {
            throw SqlApiErrors.badRequest("The value of \"value\" is out of range. It must be >= " + min + " and <= " + max
                    + ". Received " + (v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v)));
        }
        return (long) v;
    }

    private static ByteBuffer header(int type, int size) {
        ByteBuffer b = ByteBuffer.allocate(HEADER + size);
        b.putInt(type).putInt(size); // big-endian header
        return b.order(ByteOrder.LITTLE_ENDIAN);
    }

    private static byte[] withHeader(int type, byte[] data) {
        return header(type, data.length).put(data).array();
    }
}
