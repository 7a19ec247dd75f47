package io.tessera.server.maps.render;

import java.awt.geom.Path2D;
import java.awt.geom.PathIterator;
import java.util.List;

/**
 * A decoded feature geometry in pixel space, split by kind: point coordinates, line paths and polygon paths
 * (rings closed, holes inside their polygon), plus the anchor where a marker or label goes on each part
 * (the point; the middle of a line; the centroid of a polygon), as Mapnik's point placement does.
 */
record PixelGeometry(int type, List<double[]> points, List<Path2D.Double> lines, List<Path2D.Double> polygons) {
    static final int POINT = 1;
    static final int LINE = 2;
    static final int POLYGON = 3;
    static final int COLLECTION = 4;

    boolean isEmpty() {
        return points.isEmpty() && lines.isEmpty() && polygons.isEmpty();
    }

    /** Where markers and labels go: every point, the middle of every line, the centroid of every polygon. */
    List<double[]> anchors() {
        List<double[]> out = new java.util.ArrayList<>(points);
        for (Path2D.Double l : lines) {
            double[] m = middle(l);
            if (m != null) {
                out.add(m);
            }
        }
        for (Path2D.Double p : polygons) {
            double[] c = centroid(p);
            if (c != null) {
                out.add(c);
            }
        }
        return out;
    }

    /** The point half-way along a line's length. */
    static double[] middle(Path2D.Double line) {
        double[] xy = flatten(line);
        int n = xy.length / 2;
        if (n == 0) {
            return null;
        }
        double total = 0;
        for (int i = 1; i < n; i++) {
            total += Math.hypot(xy[2 * i] - xy[2 * i - 2], xy[2 * i + 1] - xy[2 * i - 1]);
        }
        double target = total / 2;
        double walked = 0;
        for (int i = 1; i < n; i++) {
            double seg = Math.hypot(xy[2 * i] - xy[2 * i - 2], xy[2 * i + 1] - xy[2 * i - 1]);
            if (seg > 0 && walked + seg >= target) {
                double t = (target - walked) / seg;
                return new double[] {xy[2 * i - 2] + t * (xy[2 * i] - xy[2 * i - 2]),
                    xy[2 * i - 1] + t * (xy[2 * i + 1] - xy[2 * i - 1])};
            }
            walked += seg;
        }
        return new double[] {xy[0], xy[1]};
    }

    /** Area centroid of a polygon's outer ring (the first ring), or its first vertex if degenerate. */
    static double[] centroid(Path2D.Double polygon) {
        double[] xy = firstRing(polygon);
        int n = xy.length / 2;
        if (n == 0) {
            return null;
        }
        double area = 0;
        double cx = 0;
        double cy = 0;
        double x0 = xy[0];
        double y0 = xy[1];
        for (int i = 0; i < n; i++) {
            int j = (i + 1) % n;
            double ax = xy[2 * i] - x0;
            double ay = xy[2 * i + 1] - y0;
            double bx = xy[2 * j] - x0;
            double by = xy[2 * j + 1] - y0;
            double cross = ax * by - bx * ay;
            area += cross;
            cx += (ax + bx) * cross;
            cy += (ay + by) * cross;
        }
        if (Math.abs(area) < 1e-12) {
            return new double[] {x0, y0};
        }
        return new double[] {x0 + cx / (3 * area), y0 + cy / (3 * area)};
    }

    private static double[] flatten(Path2D.Double path) {
        return coordinates(path, false);
    }

    private static double[] firstRing(Path2D.Double path) {
        return coordinates(path, true);
    }

    private static double[] coordinates(Path2D.Double path, boolean firstRingOnly) {
        double[] buf = new double[6];
        double[] out = new double[16];
        int len = 0;
        boolean started = false;
        for (PathIterator it = path.getPathIterator(null); !it.isDone(); it.next()) {
            int seg = it.currentSegment(buf);
            if (seg == PathIterator.SEG_MOVETO && started && firstRingOnly) {
                break;
            }
            if (seg == PathIterator.SEG_MOVETO || seg == PathIterator.SEG_LINETO) {
                started = true;
                if (len + 2 > out.length) {
                    out = java.util.Arrays.copyOf(out, out.length * 2);
                }
                out[len++] = buf[0];
                out[len++] = buf[1];
            }
        }
        return java.util.Arrays.copyOf(out, len);
    }
}
