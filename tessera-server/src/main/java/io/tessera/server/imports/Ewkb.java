package io.tessera.server.imports;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;

/**
 * Hex EWKB (SRID 4326, 2D) for points from lat/lon columns and for GeoJSON geometries, written in Java so
 * the rows go into a {@code geometry} column by COPY without another pass. Malformed geometries throw
 * {@link InvalidGeometry} (the row is kept without geometry and counted); a GeometryCollection fails the
 * import (3201), as CARTO's importer does.
 */
public final class Ewkb {
    private static final HexFormat HEX = HexFormat.of().withUpperCase();
    private static final int SRID_FLAG = 0x20000000;

    /** A geometry the file holds but that cannot be read. */
    public static final class InvalidGeometry extends Exception {
        InvalidGeometry(String m) {
            super(m, null, false, false);
        }
    }

    private Ewkb() {
    }

    public static String point(double x, double y) {
        ByteBuffer b = ByteBuffer.allocate(25).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 1).putInt(1 | SRID_FLAG).putInt(4326).putDouble(x).putDouble(y);
        return HEX.formatHex(b.array());
    }

    /** A GeoJSON geometry object as hex EWKB; null for a JSON null geometry. */
    public static String fromGeoJson(JsonNode g) throws InvalidGeometry, ImportFailure {
        if (g == null || g.isNull()) {
            return null;
        }
        String type = g.path("type").asText("");
        if (type.equals("GeometryCollection")) {
            throw new ImportFailure(ImportErrorCodes.GEOMETRY_COLLECTION, "GeometryCollection geometries are not supported");
        }
        JsonNode c = g.get("coordinates");
        if (c == null || !c.isArray()) {
            throw new InvalidGeometry("geometry without coordinates");
        }
        int code = switch (type) {
            case "Point" -> 1;
            case "LineString" -> 2;
            case "Polygon" -> 3;
            case "MultiPoint" -> 4;
            case "MultiLineString" -> 5;
            case "MultiPolygon" -> 6;
            default -> throw new InvalidGeometry("unknown geometry type " + type);
        };
        ByteBuffer b = ByteBuffer.allocate(size(code, c, true)).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 1).putInt(code | SRID_FLAG).putInt(4326);
        body(b, code, c);
        return HEX.formatHex(b.array());
    }

    private static int size(int code, JsonNode c, boolean top) throws InvalidGeometry {
        int header = top ? 9 : 5;
        return switch (code) {
            case 1 -> header + 16;
            case 2 -> header + 4 + 16 * c.size();
            case 3 -> {
                int s = header + 4;
                for (JsonNode ring : c) {
                    s += 4 + 16 * array(ring).size();
                }
                yield s;
            }
            default -> {
                int s = header + 4;
                for (JsonNode part : c) {
                    s += size(code - 3, array(part), false);
                }
                yield s;
            }
        };
    }

    private static void body(ByteBuffer b, int code, JsonNode c) throws InvalidGeometry {
        switch (code) {
            case 1 -> position(b, c);
            case 2 -> {
                if (c.size() < 2) {
                    throw new InvalidGeometry("a LineString needs two positions");
                }
                b.putInt(c.size());
                for (JsonNode p : c) {
                    position(b, p);
                }
            }
            case 3 -> {
                b.putInt(c.size());
                for (JsonNode ring : c) {
                    if (ring.size() < 4) {
                        throw new InvalidGeometry("a polygon ring needs four positions");
                    }
                    b.putInt(ring.size());
                    for (JsonNode p : ring) {
                        position(b, p);
                    }
                }
            }
            default -> {
                b.putInt(c.size());
                for (JsonNode part : c) {
                    b.put((byte) 1).putInt(code - 3);
                    body(b, code - 3, part);
                }
            }
        }
    }

    private static void position(ByteBuffer b, JsonNode p) throws InvalidGeometry {
        if (!p.isArray() || p.size() < 2 || !p.get(0).isNumber() || !p.get(1).isNumber()) {
            throw new InvalidGeometry("a position needs two numbers");
        }
        double x = p.get(0).asDouble();
        double y = p.get(1).asDouble();
        if (!Double.isFinite(x) || !Double.isFinite(y)) {
            throw new InvalidGeometry("non-finite coordinate");
        }
        b.putDouble(x).putDouble(y);
    }

    private static JsonNode array(JsonNode n) throws InvalidGeometry {
        if (n == null || !n.isArray()) {
            throw new InvalidGeometry("coordinates must be arrays");
        }
        return n;
    }
}
