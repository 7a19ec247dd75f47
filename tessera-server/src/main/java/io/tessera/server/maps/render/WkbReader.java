package io.tessera.server.maps.render;

import java.awt.geom.Path2D;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads OGC WKB (and PostGIS EWKB: Z/M/SRID flags, ISO Z/M type codes) into a {@link PixelGeometry}. Points,
 * lines, polygons, their multi forms and collections; extra dimensions are skipped.
 */
final class WkbReader {
    private final ByteBuffer buf;

    private WkbReader(byte[] wkb) {
        this.buf = ByteBuffer.wrap(wkb);
    }

    /** @throws IllegalArgumentException on malformed or unsupported input */
    static PixelGeometry read(byte[] wkb) {
        if (wkb == null || wkb.length == 0) {
            return new PixelGeometry(0, List.of(), List.of(), List.of());
        }
        WkbReader r = new WkbReader(wkb);
        List<double[]> points = new ArrayList<>();
        List<Path2D.Double> lines = new ArrayList<>();
        List<Path2D.Double> polygons = new ArrayList<>();
        int type;
        try {
            type = r.geometry(points, lines, polygons, 0);
        } catch (java.nio.BufferUnderflowException e) {
            throw new IllegalArgumentException("truncated WKB", e);
        }
        int kind = switch (type) {
            case 1, 4 -> PixelGeometry.POINT;
            case 2, 5 -> PixelGeometry.LINE;
            case 3, 6 -> PixelGeometry.POLYGON;
            default -> PixelGeometry.COLLECTION;
        };
        return new PixelGeometry(kind, points, lines, polygons);
    }

    /** Reads one geometry, returns its base type code (1..7). */
    private int geometry(List<double[]> points, List<Path2D.Double> lines, List<Path2D.Double> polygons, int depth) {
        if (depth > 32) {
            throw new IllegalArgumentException("WKB nested too deeply");
        }
        byte order = buf.get();
        buf.order(order == 0 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        int raw = buf.getInt();
        int dims = 2;
        if ((raw & 0x80000000) != 0) {
            dims++;
        }
        if ((raw & 0x40000000) != 0) {
            dims++;
        }
        if ((raw & 0x20000000) != 0) {
            buf.getInt();
        }
        int code = raw & 0x0FFFFFFF;
        int type = code % 1000;
        int iso = code / 1000;
        if (iso == 1 || iso == 2) {
            dims++;
        } else if (iso == 3) {
            dims += 2;
        }
        switch (type) {
            case 1 -> {
                double x = buf.getDouble();
                double y = buf.getDouble();
                skip(dims - 2);
                if (!Double.isNaN(x) && !Double.isNaN(y)) {
                    points.add(new double[] {x, y});
                }
            }
            case 2 -> {
                Path2D.Double p = new Path2D.Double();
                if (ring(p, dims, false) >= 2) {
                    lines.add(p);
                }
            }
            case 3 -> {
                Path2D.Double p = new Path2D.Double(Path2D.WIND_EVEN_ODD);
                int rings = count();
                int drawn = 0;
                for (int i = 0; i < rings; i++) {
                    if (ring(p, dims, true) >= 3) {
                        drawn++;
                    }
                }
                if (drawn > 0) {
                    polygons.add(p);
                }
            }
            case 4, 5, 6, 7 -> {
                int n = count();
                for (int i = 0; i < n; i++) {
                    geometry(points, lines, polygons, depth + 1);
                }
            }
            default -> throw new IllegalArgumentException("unsupported WKB geometry type " + code);
        }
        return type;
    }

    private int ring(Path2D.Double p, int dims, boolean close) {
        int n = count();
        for (int i = 0; i < n; i++) {
            double x = buf.getDouble();
            double y = buf.getDouble();
            skip(dims - 2);
            if (i == 0) {
                p.moveTo(x, y);
            } else {
                p.lineTo(x, y);
            }
        }
        if (close && n > 0) {
            p.closePath();
        }
        return n;
    }

    private int count() {
        int n = buf.getInt();
        if (n < 0 || (long) n * 8 > buf.remaining() + 8L) {
            throw new IllegalArgumentException("bad WKB element count " + n);
        }
        return n;
    }

    private void skip(int doubles) {
        for (int i = 0; i < doubles; i++) {
            buf.getDouble();
        }
    }
}
