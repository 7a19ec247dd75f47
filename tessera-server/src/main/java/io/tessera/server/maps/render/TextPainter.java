package io.tessera.server.maps.render;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Shape;
import java.awt.font.FontRenderContext;
import java.awt.font.TextLayout;
import java.awt.geom.AffineTransform;
import java.awt.geom.Rectangle2D;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Point-placed labels ({@code text-*}): centred on the feature's anchor, optional halo, skipped when they
 * would collide with an earlier label or marker unless {@code text-allow-overlap}. Fonts map onto the DejaVu
 * families (what the packages install); the face name picks bold/italic.
 */
final class TextPainter {
    private static final Pattern FIELD = Pattern.compile("\\[([^\\]]+)\\]");
    private static final Map<String, Font> FONTS = new ConcurrentHashMap<>();

    private final Graphics2D g;
    private final double scale;
    private final CollisionIndex collisions;

    TextPainter(Graphics2D g, double scale, CollisionIndex collisions) {
        this.g = g;
        this.scale = scale;
        this.collisions = collisions;
    }

    void paint(Symbolizer s, PixelGeometry geom, Map<String, Object> attrs) {
        String label = label(s, attrs);
        if (label.isBlank()) {
            return;
        }
        double size = Math.min(s.number("text-size", attrs, 10) * scale, 1024);
        if (size <= 0) {
            return;
        }
        double opacity = s.number("text-opacity", attrs, 1);
        Color fill = FeaturePainter.fade(s.color("text-fill", attrs, Color.BLACK), opacity);
        Color halo = FeaturePainter.fade(s.color("text-halo-fill", attrs, Color.WHITE), opacity);
        double haloRadius = s.number("text-halo-radius", attrs, 0) * scale;
        boolean allowOverlap = s.bool("text-allow-overlap", attrs, false);
        double dx = s.number("text-dx", attrs, 0) * scale;
        double dy = s.number("text-dy", attrs, 0) * scale;
        Font font = font(s.text("text-face-name", attrs, "DejaVu Sans Book")).deriveFont((float) size);
        FontRenderContext frc = g.getFontRenderContext();
        TextLayout layout = new TextLayout(label, font, frc);
        double width = layout.getAdvance();
        double height = layout.getAscent() + layout.getDescent();
        for (double[] at : geom.anchors()) {
            double x = at[0] + dx - width / 2;
            double baseline = at[1] + dy - height / 2 + layout.getAscent();
            Rectangle2D box = new Rectangle2D.Double(x, baseline - layout.getAscent(), width, height);
            if (!allowOverlap && collisions.collides(box)) {
                continue;
            }
            collisions.insert(box);
            Shape outline = layout.getOutline(AffineTransform.getTranslateInstance(x, baseline));
            if (haloRadius > 0 && halo.getAlpha() > 0) {
                g.setColor(halo);
                g.setStroke(new BasicStroke((float) (haloRadius * 2), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
                g.draw(outline);
            }
            g.setColor(fill);
            g.fill(outline);
        }
    }

    /** The label text; an old-style {@code "[name]"} string is filled from the attributes, as carto does. */
    private static String label(Symbolizer s, Map<String, Object> attrs) {
        String raw = s.text("text-name", attrs, "");
        if (!(s.properties().get("text-name") instanceof Expr.Literal) || raw.indexOf('[') < 0) {
            return raw;
        }
        Matcher m = FIELD.matcher(raw);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, Matcher.quoteReplacement(Expr.text(attrs.get(m.group(1)))));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    static Font font(String faceName) {
        return FONTS.computeIfAbsent(faceName, TextPainter::lookup);
    }

    private static Font lookup(String faceName) {
        String f = faceName.toLowerCase(Locale.ROOT);
        String family = f.contains("mono") ? "DejaVu Sans Mono" : (f.contains("serif") && !f.contains("sans") ? "DejaVu Serif" : "DejaVu Sans");
        int style = (f.contains("bold") ? Font.BOLD : 0) | (f.contains("italic") || f.contains("oblique") ? Font.ITALIC : 0);
        return new Font(family, style, 10);
    }
}
