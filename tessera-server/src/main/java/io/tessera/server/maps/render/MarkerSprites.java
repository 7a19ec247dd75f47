package io.tessera.server.maps.render;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Pre-rendered anti-aliased markers. Drawing thousands of identical ellipses through the rasterizer dominates a
 * point tile; blitting an image rendered once per style and sub-pixel phase (1/8 px) gives the same pixels
 * (SrcOver is associative, and the edge coverage is that of the same shape at the same phase).
 */
final class MarkerSprites {
    static final int PHASES = 8;
    private static final int LIMIT = 4096;
    private static final Map<Key, BufferedImage> CACHE = new ConcurrentHashMap<>();

    record Key(boolean rectangle, double w, double h, int fill, int stroke, double strokeWidth, int phaseX, int phaseY) {
    }

    /** Half the sprite's margin around the marker box: room for the outline and anti-aliasing. */
    static int pad(double strokeWidth) {
        return (int) Math.ceil(strokeWidth / 2) + 2;
    }

    static BufferedImage sprite(Key k) {
        BufferedImage hit = CACHE.get(k);
        if (hit != null) {
            return hit;
        }
        if (CACHE.size() >= LIMIT) {
            CACHE.clear();
        }
        BufferedImage img = draw(k);
        CACHE.put(k, img);
        return img;
    }

    private static BufferedImage draw(Key k) {
        int pad = pad(k.strokeWidth());
        int width = (int) Math.ceil(k.w()) + 2 * pad + 1;
        int height = (int) Math.ceil(k.h()) + 2 * pad + 1;
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB_PRE);
        Graphics2D g = TileRenderer.antialiased(img);
        try {
            // The marker centre sits at pad + w/2 (+ phase) so that blitting at an integer offset reproduces it.
            double cx = pad + k.w() / 2 + k.phaseX() / (double) PHASES;
            double cy = pad + k.h() / 2 + k.phaseY() / (double) PHASES;
            Shape shape = k.rectangle()
                    ? new Rectangle2D.Double(cx - k.w() / 2, cy - k.h() / 2, k.w(), k.h())
                    : new Ellipse2D.Double(cx - k.w() / 2, cy - k.h() / 2, k.w(), k.h());
            Color fill = new Color(k.fill(), true);
            if (fill.getAlpha() > 0) {
                g.setColor(fill);
                g.fill(shape);
            }
            Color stroke = new Color(k.stroke(), true);
            if (k.strokeWidth() > 0 && stroke.getAlpha() > 0) {
                g.setStroke(new BasicStroke((float) k.strokeWidth()));
                g.setColor(stroke);
                g.draw(shape);
            }
        } finally {
            g.dispose();
        }
        return img;
    }
}
