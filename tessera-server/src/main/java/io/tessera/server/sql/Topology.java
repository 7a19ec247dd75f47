package io.tessera.server.sql;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A TopoJSON topology of GeoJSON geometries, built the way topojson does it: coordinates quantized to a
 * 10⁴ × 10⁴ grid over the data's extent; a point is a junction where lines meet with different neighbours
 * (and every open line's ends are); lines and rings are cut at junctions into arcs; an arc met again, in
 * either direction, is reused ({@code ~i} when reversed). So the border two adjacent polygons share is
 * one arc, written once. Arcs are delta-encoded; points keep quantized absolute positions.
 */
final class Topology {
    private static final int Q = 10_000;

    private final List<JsonNode> geometries = new ArrayList<>();
    private final List<long[]> lines = new ArrayList<>();
    private final List<Boolean> rings = new ArrayList<>();
    private final List<long[]> arcs = new ArrayList<>();
    private final Map<Key, Integer> arcIndex = new HashMap<>();
    private double x0 = Double.POSITIVE_INFINITY;
    private double y0 = Double.POSITIVE_INFINITY;
    private double x1 = Double.NEGATIVE_INFINITY;
    private double y1 = Double.NEGATIVE_INFINITY;
    private double kx = 1;
    private double ky = 1;
    private int[][] lineArcs;
    private int[] firstLine;

    private record Key(long[] points) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Arrays.equals(points, k.points);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(points);
        }
    }

    /** Adds a GeoJSON geometry (as ST_AsGeoJSON writes it); returns its index. */
    int add(JsonNode geometry) {
        extend(geometry.path("coordinates"));
        for (JsonNode member : geometry.path("geometries")) {
            extend(member.path("coordinates"));
        }
        geometries.add(geometry);
        return geometries.size() - 1;
    }

    private void extend(JsonNode c) {
        if (c.isArray() && !c.isEmpty() && c.get(0).isNumber()) {
            double x = c.get(0).asDouble();
            double y = c.get(1).asDouble();
            x0 = Math.min(x0, x);
            x1 = Math.max(x1, x);
            y0 = Math.min(y0, y);
            y1 = Math.max(y1, y);
            return;
        }
        for (JsonNode child : c) {
            extend(child);
        }
    }

    /** Quantizes every line and ring, finds the junctions and cuts the arcs. Call once, after the last {@link #add}. */
    void build() {
        if (geometries.isEmpty()) {
            return;
        }
        kx = x1 > x0 ? (x1 - x0) / (Q - 1) : 1;
        ky = y1 > y0 ? (y1 - y0) / (Q - 1) : 1;
        firstLine = new int[geometries.size()];
        for (int i = 0; i < geometries.size(); i++) {
            firstLine[i] = lines.size();
            collectLines(geometries.get(i));
        }
        Set<Long> junctions = junctions();
        lineArcs = new int[lines.size()][];
        for (int i = 0; i < lines.size(); i++) {
            lineArcs[i] = rings.get(i) ? cutRing(lines.get(i), junctions) : cutLine(lines.get(i), junctions);
        }
    }

    private void collectLines(JsonNode g) {
        JsonNode c = g.path("coordinates");
        switch (g.path("type").asText()) {
            case "LineString" -> addLine(c, false);
            case "MultiLineString" -> c.forEach(l -> addLine(l, false));
            case "Polygon" -> c.forEach(r -> addLine(r, true));
            case "MultiPolygon" -> c.forEach(p -> p.forEach(r -> addLine(r, true)));
            case "GeometryCollection" -> g.path("geometries").forEach(this::collectLines);
            default -> { } // points have no arcs
        }
    }

    private void addLine(JsonNode coords, boolean ring) {
        long[] pts = new long[coords.size()];
        int n = 0;
        for (JsonNode c : coords) {
            long p = quantize(c);
            if (n == 0 || pts[n - 1] != p) {
                pts[n++] = p;
            }
        }
        long[] line = Arrays.copyOf(pts, n);
        if (ring && (n < 2 || line[0] != line[n - 1])) { // keep rings closed after quantizing
            line = Arrays.copyOf(line, n + 1);
            line[n] = line[0];
        }
        lines.add(line);
        rings.add(ring);
    }

    private long quantize(JsonNode c) {
        long x = Math.round((c.get(0).asDouble() - x0) / kx);
        long y = Math.round((c.get(1).asDouble() - y0) / ky);
        return (x << 32) | (y & 0xffffffffL);
    }

    /** Points where lines meet with different neighbours, and the ends of open lines. */
    private Set<Long> junctions() {
        Map<Long, long[]> neighbours = new HashMap<>();
        Set<Long> junctions = new HashSet<>();
        for (int l = 0; l < lines.size(); l++) {
            long[] line = lines.get(l);
            boolean ring = rings.get(l);
            int m = ring ? line.length - 1 : line.length;
            if (!ring) {
                junctions.add(line[0]);
                junctions.add(line[line.length - 1]);
            }
            for (int i = ring ? 0 : 1; i < (ring ? m : m - 1); i++) {
                long prev = line[ring ? (i + m - 1) % m : i - 1];
                long next = line[ring ? (i + 1) % m : i + 1];
                long[] pair = {Math.min(prev, next), Math.max(prev, next)};
                long[] seen = neighbours.putIfAbsent(line[i], pair);
                if (seen != null && (seen[0] != pair[0] || seen[1] != pair[1])) {
                    junctions.add(line[i]);
                }
            }
        }
        return junctions;
    }

    private int[] cutLine(long[] line, Set<Long> junctions) {
        List<Integer> refs = new ArrayList<>();
        int start = 0;
        for (int i = 1; i < line.length; i++) {
            if (i == line.length - 1 || junctions.contains(line[i])) {
                refs.add(arc(Arrays.copyOfRange(line, start, i + 1), false));
                start = i;
            }
        }
        if (line.length == 1) {
            refs.add(arc(line, false));
        }
        return refs.stream().mapToInt(Integer::intValue).toArray();
    }

    private int[] cutRing(long[] ring, Set<Long> junctions) {
        int m = ring.length - 1;
        int first = -1;
        for (int i = 0; i < m && first < 0; i++) {
            if (junctions.contains(ring[i])) {
                first = i;
            }
        }
        if (first < 0) {
            return new int[] {arc(ring, true)};
        }
        return cutLine(rotate(ring, first), junctions);
    }

    /** The closed ring starting at index {@code start}. */
    private static long[] rotate(long[] ring, int start) {
        int m = ring.length - 1;
        long[] out = new long[m + 1];
        for (int i = 0; i < m; i++) {
            out[i] = ring[(start + i) % m];
        }
        out[m] = out[0];
        return out;
    }

    /** The index of this arc, reusing an equal one met before in either direction ({@code ~i} reversed). */
    private int arc(long[] pts, boolean closedWithoutJunction) {
        long[] forward = closedWithoutJunction ? rotate(pts, argMin(pts)) : pts;
        long[] backward = reverse(forward);
        if (closedWithoutJunction) {
            backward = rotate(backward, argMin(backward));
        }
        Integer i = arcIndex.get(new Key(forward));
        if (i != null) {
            return i;
        }
        i = arcIndex.get(new Key(backward));
        if (i != null) {
            return ~i;
        }
        arcs.add(forward);
        arcIndex.put(new Key(forward), arcs.size() - 1);
        return arcs.size() - 1;
    }

    private static int argMin(long[] closed) {
        int best = 0;
        for (int i = 1; i < closed.length - 1; i++) {
            if (closed[i] < closed[best]) {
                best = i;
            }
        }
        return best;
    }

    private static long[] reverse(long[] a) {
        long[] r = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = a[a.length - 1 - i];
        }
        return r;
    }

    /** Writes geometry {@code index} as a TopoJSON object's members ({@code type}, {@code arcs}/{@code coordinates}). */
    void writeGeometry(JsonGenerator g, int index) throws IOException {
        int[] next = {firstLine[index]};
        writeGeometry(g, geometries.get(index), next);
    }

    private void writeGeometry(JsonGenerator g, JsonNode geom, int[] next) throws IOException {
        String type = geom.path("type").asText();
        g.writeStringField("type", type);
        JsonNode c = geom.path("coordinates");
        switch (type) {
            case "Point" -> {
                g.writeFieldName("coordinates");
                writePoint(g, quantize(c));
            }
            case "MultiPoint" -> {
                g.writeArrayFieldStart("coordinates");
                for (JsonNode p : c) {
                    writePoint(g, quantize(p));
                }
                g.writeEndArray();
            }
            case "LineString" -> {
                g.writeFieldName("arcs");
                writeRefs(g, lineArcs[next[0]++]);
            }
            case "MultiLineString", "Polygon" -> {
                g.writeArrayFieldStart("arcs");
                for (int i = 0; i < c.size(); i++) {
                    writeRefs(g, lineArcs[next[0]++]);
                }
                g.writeEndArray();
            }
            case "MultiPolygon" -> {
                g.writeArrayFieldStart("arcs");
                for (JsonNode poly : c) {
                    g.writeStartArray();
                    for (int i = 0; i < poly.size(); i++) {
                        writeRefs(g, lineArcs[next[0]++]);
                    }
                    g.writeEndArray();
                }
                g.writeEndArray();
            }
            case "GeometryCollection" -> {
                g.writeArrayFieldStart("geometries");
                for (JsonNode m : geom.path("geometries")) {
                    g.writeStartObject();
                    writeGeometry(g, m, next);
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            default -> throw new IllegalArgumentException("unknown GeoJSON type " + type);
        }
    }

    private static void writeRefs(JsonGenerator g, int[] refs) throws IOException {
        g.writeArray(refs, 0, refs.length);
    }

    private static void writePoint(JsonGenerator g, long p) throws IOException {
        g.writeStartArray();
        g.writeNumber((int) (p >> 32));
        g.writeNumber((int) p);
        g.writeEndArray();
    }

    /** {@code "transform"} and {@code "arcs"}: delta-encoded quantized positions. */
    void writeTransform(JsonGenerator g) throws IOException {
        g.writeObjectFieldStart("transform");
        g.writeArrayFieldStart("scale");
        g.writeNumber(kx);
        g.writeNumber(ky);
        g.writeEndArray();
        g.writeArrayFieldStart("translate");
        g.writeNumber(geometries.isEmpty() ? 0 : x0);
        g.writeNumber(geometries.isEmpty() ? 0 : y0);
        g.writeEndArray();
        g.writeEndObject();
    }

    void writeArcs(JsonGenerator g) throws IOException {
        g.writeArrayFieldStart("arcs");
        for (long[] arc : arcs) {
            g.writeStartArray();
            long px = 0;
            long py = 0;
            for (long p : arc) {
                long x = p >> 32;
                long y = (int) p;
                g.writeStartArray();
                g.writeNumber(x - px);
                g.writeNumber(y - py);
                g.writeEndArray();
                px = x;
                py = y;
            }
            g.writeEndArray();
        }
        g.writeEndArray();
    }
}
