package io.tessera.it.maps;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads just enough of a Mapbox Vector Tile (protobuf) for tests: layer names, extents, feature counts, string values. */
final class MvtReader {
    record Layer(String name, int extent, int features, List<String> keys, List<Object> values) {
    }

    private final byte[] b;
    private int pos;
    private final int end;

    private MvtReader(byte[] b, int start, int end) {
        this.b = b;
        this.pos = start;
        this.end = end;
    }

    static Map<String, Layer> layers(byte[] tile) {
        Map<String, Layer> out = new LinkedHashMap<>();
        MvtReader r = new MvtReader(tile, 0, tile.length);
        while (r.pos < r.end) {
            long tag = r.varint();
            if ((tag >>> 3) == 3 && (tag & 7) == 2) {
                int len = (int) r.varint();
                Layer l = new MvtReader(tile, r.pos, r.pos + len).layer();
                out.put(l.name(), l);
                r.pos += len;
            } else {
                r.skip((int) (tag & 7));
            }
        }
        return out;
    }

    private Layer layer() {
        String name = null;
        int extent = 4096;
        int features = 0;
        List<String> keys = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        while (pos < end) {
            long tag = varint();
            int field = (int) (tag >>> 3);
            int wire = (int) (tag & 7);
            if (field == 1 && wire == 2) {
                name = string();
            } else if (field == 2 && wire == 2) {
                features++;
                skip(wire);
            } else if (field == 3 && wire == 2) {
                keys.add(string());
            } else if (field == 4 && wire == 2) {
                int len = (int) varint();
                values.add(new MvtReader(b, pos, pos + len).value());
                pos += len;
            } else if (field == 5 && wire == 0) {
                extent = (int) varint();
            } else {
                skip(wire);
            }
        }
        return new Layer(name, extent, features, keys, values);
    }

    private Object value() {
        long tag = varint();
        int field = (int) (tag >>> 3);
        return switch (field) {
            case 1 -> string();
            case 4, 5 -> varint();
            case 6 -> zigzag(varint());
            case 7 -> varint() != 0;
            default -> "?";
        };
    }

    private static long zigzag(long v) {
        return (v >>> 1) ^ -(v & 1);
    }

    private String string() {
        int len = (int) varint();
        String s = new String(b, pos, len, StandardCharsets.UTF_8);
        pos += len;
        return s;
    }

    private long varint() {
        long v = 0;
        int shift = 0;
        while (true) {
            int x = b[pos++] & 0xff;
            v |= (long) (x & 0x7f) << shift;
            if (x < 0x80) {
                return v;
            }
            shift += 7;
        }
    }

    private void skip(int wire) {
        switch (wire) {
            case 0 -> varint();
            case 1 -> pos += 8;
            case 2 -> {
                int len = (int) varint();
                pos += len;
            }
            case 5 -> pos += 4;
            default -> throw new IllegalStateException("wire type " + wire);
        }
    }
}
