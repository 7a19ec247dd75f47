package io.tessera.server.maps.render;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.util.Map;

/**
 * Draws one feature's symbolizers with Java2D using Mapnik's defaults: markers are a 10 px blue ellipse with a
 * 0.5 px black outline, lines 1 px black with butt caps and miter joins, polygons grey. In hit-grid mode
 * ({@code solid != null}) every shape is painted in that one colour and labels are skipped (UTFGrid).
 */
final class FeaturePainter {
    private static final Color MARKER_FILL = new Color(0, 0, 255);
    private static final Color POLYGON_FILL = new Color(128, 128, 128);
    /** Larger markers are drawn directly: a sprite cache of huge images would cost more than it saves. */
    private static final double MAX_SPRITE = 256;
    /** A marker or line never needs to be wider than a few tiles; this bounds the work a hostile style can ask for. */
    private static final double MAX_MARKER = 4096;

    private final Graphics2D g;
    private final double scale;
    private final CollisionIndex collisions;
    private final TextPainter text;
    private Color solid;

    FeaturePainter(Graphics2D g, double scale, CollisionIndex collisions) {
        this.g = g;
        this.scale = scale;
        this.collisions = collisions;
        this.text = new TextPainter(g, scale, collisions);
    }

    /** Paint everything in one colour (hit grid), or null for real colours. */
    void solid(Color color) {
        this.solid = color;
    }

    void paint(Symbolizer s, PixelGeometry geom, Map<String, Object> attrs) {
        switch (s.type()) {
            case POLYGON -> polygon(s, geom, attrs);
            case LINE -> line(s, geom, attrs);
            case MARKER -> markers(s, geom, attrs);
            case TEXT -> {
                if (solid == null) {
                    text.paint(s, geom, attrs);
                }
            }
        }
    }

    private void polygon(Symbolizer s, PixelGeometry geom, Map<String, Object> attrs) {
        if (geom.polygons().isEmpty() && geom.lines().isEmpty()) {
            return;
        }
        Color fill = fade(s.color("polygon-fill", attrs, POLYGON_FILL), s.number("polygon-opacity", attrs, 1));
        if (!visible(fill)) {
            return;
        }
        g.setColor(paintColor(fill));
        Path2D.Double all = new Path2D.Double(Path2D.WIND_EVEN_ODD);
        for (Path2D.Double p : geom.polygons()) {
            all.append(p, false);
        }
        // Mapnik fills a line under a polygon symbolizer as if it were closed; so do we (fill closes subpaths).
        for (Path2D.Double p : geom.lines()) {
            all.append(p, false);
        }
        g.fill(all);
    }

    private void line(Symbolizer s, PixelGeometry geom, Map<String, Object> attrs) {
        if (geom.lines().isEmpty() && geom.polygons().isEmpty()) {
            return;
        }
        Color color = fade(s.color("line-color", attrs, Color.BLACK), s.number("line-opacity", attrs, 1));
        double width = Math.min(s.number("line-width", attrs, 1) * scale, MAX_MARKER);
        if (!visible(color) || width <= 0) {
            return;
        }
        int cap = switch (s.text("line-cap", attrs, "butt")) {
            case "round" -> BasicStroke.CAP_ROUND;
            case "square" -> BasicStroke.CAP_SQUARE;
            default -> BasicStroke.CAP_BUTT;
        };
        int join = switch (s.text("line-join", attrs, "miter")) {
            case "round" -> BasicStroke.JOIN_ROUND;
            case "bevel" -> BasicStroke.JOIN_BEVEL;
            default -> BasicStroke.JOIN_MITER;
        };
        float miter = (float) Math.max(1, s.number("line-miterlimit", attrs, 4));
        float[] dashes = s.dashes("line-dasharray", attrs, scale);
        g.setStroke(new BasicStroke((float) (width + hitGrowth()), cap, join, miter, dashes, 0f));
        g.setColor(paintColor(color));
        for (Path2D.Double p : geom.lines()) {
            g.draw(p);
        }
        for (Path2D.Double p : geom.polygons()) {
            g.draw(p);
        }
    }

    private void markers(Symbolizer s, PixelGeometry geom, Map<String, Object> attrs) {
        if (geom.points().isEmpty() && geom.lines().isEmpty() && geom.polygons().isEmpty()) {
            return;
        }
        double opacity = s.number("marker-opacity", attrs, 1);
        Color fill = fade(s.color("marker-fill", attrs, MARKER_FILL), s.number("marker-fill-opacity", attrs, 1) * opacity);
        Color stroke = fade(s.color("marker-line-color", attrs, Color.BLACK),
                s.number("marker-line-opacity", attrs, 1) * opacity);
        double strokeWidth = s.number("marker-line-width", attrs, 0.5) * scale;
        double w = s.number("marker-width", attrs, s.has("marker-height") ? s.number("marker-height", attrs, 10) : 10);
        double h = s.number("marker-height", attrs, w);
        w = Math.min(w * scale, MAX_MARKER);
        h = Math.min(h * scale, MAX_MARKER);
        if (w <= 0 || h <= 0) {
            return;
        }
        boolean rectangle = s.text("marker-type", attrs, "ellipse").equals("rectangle");
        boolean allowOverlap = s.bool("marker-allow-overlap", attrs, false);
        boolean ignorePlacement = s.bool("marker-ignore-placement", attrs, false);
        for (double[] at : geom.anchors()) {
            Rectangle2D box = new Rectangle2D.Double(at[0] - w / 2, at[1] - h / 2, w, h);
            if (!allowOverlap && collisions.collides(box)) {
                continue;
            }
            if (!ignorePlacement) {
                collisions.insert(box);
            }
            if (solid == null && w <= MAX_SPRITE && h <= MAX_SPRITE) {
                blit(rectangle, w, h, fill, stroke, strokeWidth, at);
                continue;
            }
            Shape shape = rectangle ? box : new Ellipse2D.Double(box.getX(), box.getY(), w, h);
            if (visible(fill)) {
                g.setColor(paintColor(fill));
                fill(shape);
            }
            if (strokeWidth > 0 && visible(stroke)) {
                g.setColor(paintColor(stroke));
                g.setStroke(new BasicStroke((float) (strokeWidth + hitGrowth())));
                g.draw(shape);
            }
        }
    }

    /** Draws a marker from the sprite cache at the anchor's sub-pixel phase. */
    private void blit(boolean rectangle, double w, double h, Color fill, Color stroke, double strokeWidth, double[] at) {
        double left = at[0] - w / 2;
        double top = at[1] - h / 2;
        int ix = (int) Math.floor(left);
        int iy = (int) Math.floor(top);
        int px = (int) Math.round((left - ix) * MarkerSprites.PHASES);
        int py = (int) Math.round((top - iy) * MarkerSprites.PHASES);
        if (px == MarkerSprites.PHASES) {
            px = 0;
            ix++;
        }
        if (py == MarkerSprites.PHASES) {
            py = 0;
            iy++;
        }
        double sw = strokeWidth > 0 && stroke.getAlpha() > 0 ? strokeWidth : 0;
        MarkerSprites.Key key = new MarkerSprites.Key(rectangle, w, h, fill.getRGB(), sw > 0 ? stroke.getRGB() : 0, sw, px, py);
        int pad = MarkerSprites.pad(sw);
        g.drawImage(MarkerSprites.sprite(key), ix - pad, iy - pad, null);
    }

    /**
     * Mapnik's hit grid counts a pixel touched at all by a shape (binary scanlines), Java2D's aliased fill only a
     * pixel whose centre is inside: growing shapes by just under half a pixel each side makes the two agree.
     */
    private double hitGrowth() {
        return solid != null ? 0.9 : 0;
    }

    private void fill(Shape shape) {
        g.fill(shape);
        if (solid != null) {
            g.setStroke(new BasicStroke((float) hitGrowth()));
            g.draw(shape);
        }
    }

    private Color paintColor(Color c) {
        return solid != null ? solid : c;
    }

    /** Transparent paint draws nothing, except in the hit grid where the shape still counts (as in Mapnik). */
    private boolean visible(Color c) {
        return solid != null || c.getAlpha() > 0;
    }

    static Color fade(Color c, double opacity) {
        if (opacity >= 1) {
            return c;
        }
        return new Color(c.getRed(), c.getGreen(), c.getBlue(),
                (int) Math.round(c.getAlpha() * Math.max(0, opacity)));
    }
}
