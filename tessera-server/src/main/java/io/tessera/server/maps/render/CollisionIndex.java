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
        int x1 = cell(box.getMaxX());
        int y1 = cell(box.getMaxY());
        for (int x = cell(box.getMinX()); x <= x1; x++) {
            for (int y = cell(box.getMinY()); y <= y1; y++) {
                List<Rectangle2D> list = cells.get(key(x, y));
                if (list != null) {
                    for (Rectangle2D r : list) {
                        if (r.intersects(box)) {
                            return true;
                        }
                    }
                }
            }
        }
        return false;
    }

    void insert(Rectangle2D box) {
        int x1 = cell(box.getMaxX());
        int y1 = cell(box.getMaxY());
        for (int x = cell(box.getMinX()); x <= x1; x++) {
            for (int y = cell(box.getMinY()); y <= y1; y++) {
                cells.computeIfAbsent(key(x, y), k -> new ArrayList<>(4)).add(box);
            }
        }
    }

    /** Cells are clamped so an absurdly large box costs a bounded number of buckets. */
    private static int cell(double v) {
        return (int) Math.max(-64, Math.min(256, Math.floor(v / CELL)));
    }

    private static long key(int x, int y) {
        return ((long) x << 32) ^ (y & 0xffffffffL);
    }
}
