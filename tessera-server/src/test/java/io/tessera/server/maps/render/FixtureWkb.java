package io.tessera.server.maps.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Test fixtures: GeoJSON in pixel coordinates turned into the WKB the renderer receives from PostGIS. */
final class FixtureWkb {
    private static final ObjectMapper JSON = new ObjectMapper();

    private FixtureWkb() {
    }

    static List<RenderFeature> features(Path geojson, double coordScale) throws IOException {
        JsonNode root = JSON.readTree(geojson.toFile());
        List<RenderFeature> out = new ArrayList<>();
        for (JsonNode f : root.get("features")) {
            Map<String, Object> attrs = new LinkedHashMap<>();
            f.get("properties").fields().forEachRemaining(e -> attrs.put(e.getKey(),
                    e.getValue().isNumber() ? e.getValue().numberValue() : e.getValue().asText()));
            out.add(new RenderFeature(f.get("id").asLong(), wkb(f.get("geometry"), coordScale), attrs));
        }
        return out;
    }

    static byte[] wkb(JsonNode geometry, double coordScale) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(out, geometry, coordScale);
        return out.toByteArray();
    }

    private static void write(ByteArrayOutputStream out, JsonNode g, double s) {
        JsonNode c = g.get("coordinates");
        switch (g.get("type").asText()) {
            case "Point" -> {
                header(out, 1);
                point(out, c, s);
            }
            case "LineString" -> {
                header(out, 2);
                points(out, c, s);
            }
            case "Polygon" -> {
                header(out, 3);
                rings(out, c, s);
            }
            case "MultiPoint" -> {
                header(out, 4);
                count(out, c.size());
                for (JsonNode p : c) {
                    header(out, 1);
                    point(out, p, s);
                }
            }
            case "MultiLineString" -> {
                header(out, 5);
                count(out, c.size());
                for (JsonNode l : c) {
                    header(out, 2);
                    points(out, l, s);
                }
            }
            case "MultiPolygon" -> {
                header(out, 6);
                count(out, c.size());
                for (JsonNode p : c) {
                    header(out, 3);
                    rings(out, p, s);
                }
            }
            case "GeometryCollection" -> {
                header(out, 7);
                count(out, g.get("geometries").size());
                for (JsonNode m : g.get("geometries")) {
                    write(out, m, s);
                }
            }
            default -> throw new IllegalArgumentException(g.get("type").asText());
        }
    }

    private static void rings(ByteArrayOutputStream out, JsonNode rings, double s) {
        count(out, rings.size());
        for (JsonNode r : rings) {
            points(out, r, s);
        }
    }

    private static void points(ByteArrayOutputStream out, JsonNode pts, double s) {
        count(out, pts.size());
        for (JsonNode p : pts) {
            point(out, p, s);
        }
    }

    private static void header(ByteArrayOutputStream out, int type) {
        out.write(1);
        count(out, type);
    }

    private static void count(ByteArrayOutputStream out, int n) {
        out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(n).array());
    }

    private static void point(ByteArrayOutputStream out, JsonNode p, double s) {
        out.writeBytes(ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN)
                .putDouble(p.get(0).asDouble() * s).putDouble(p.get(1).asDouble() * s).array());
    }
}
