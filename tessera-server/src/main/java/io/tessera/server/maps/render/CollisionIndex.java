package io.tessera.server.maps.render;

import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Boxes already taken by markers and labels in one tile (Mapnik's label collision detector), bucketed in a
 * coarse grid so a tile with thousands of points stays linear.
 */
final class CollisionIndex {
    private static final double CELL = 32;
    private final Map<Long, List<Rectangle2D>> cells = new HashMap<>();

    boolean collides(Rectangle2D box) {
        for (long key : keys(box)) {
            List<Rectangle2D> list = cells.get(key);
            if (list != null) {
                for (Rectangle2D r : list) {
                    if (r.intersects(box)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    void insert(Rectangle2D box) {
        for (long key : keys(box)) {
            cells.computeIfAbsent(key, k -> new ArrayList<>(4)).add(box);
        }
    }

    /** Cells are clamped so an absurdly large box costs a bounded number of buckets. */
    private static int cell(double v) {
        return (int) Math.max(-64, Math.min(256, Math.floor(v / CELL)));
    }

    private static List<Long> keys(Rectangle2D box) {
        int x0 = cell(box.getMinX());
        int x1 = cell(box.getMaxX());
        int y0 = cell(box.getMinY());
        int y1 = cell(box.getMaxY());
        List<Long> out = new ArrayList<>((x1 - x0 + 1) * (y1 - y0 + 1));
        for (int x = x0; x <= x1; x++) {
            for (int y = y0; y <= y1; y++) {
                out.add(((long) x << 32) ^ (y & 0xffffffffL));
            }
        }
        return out;
    }
}
