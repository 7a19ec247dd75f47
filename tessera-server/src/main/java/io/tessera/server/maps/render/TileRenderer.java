package io.tessera.server.maps.render;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Renders PNG tiles with Java2D from geometries already clipped and projected to pixels. Order follows Mapnik:
 * layers in list order; within a layer each attachment (style) in turn over all features; for each feature its
 * symbolizers in rule order. Markers and labels share one collision index per tile. Anti-aliased.
 */
public final class TileRenderer {
    static {
        Headless.ensure();
    }

    private TileRenderer() {
    }

    /**
     * @param scale 1 for normal tiles, 2 for {@code @2x} (widths, sizes and dashes are multiplied; coordinates are
     *     already in output pixels)
     * @return PNG bytes (transparent when nothing is drawn)
     */
    public static byte[] renderPng(int width, int height, double scale, int zoom, List<RenderLayer> layers) {
        return encode(render(width, height, scale, zoom, layers));
    }

    /** The rendered image (ARGB, not premultiplied), for tests and static maps. */
    public static BufferedImage render(int width, int height, double scale, int zoom, List<RenderLayer> layers) {
        BufferedImage canvas = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB_PRE);
        Graphics2D g = antialiased(canvas);
        try {
            for (RenderLayer layer : layers) {
                Color bg = layer.style().backgroundColor().orElse(null);
                if (bg != null) {
                    g.setColor(bg);
                    g.fillRect(0, 0, width, height);
                    break;
                }
            }
            FeaturePainter painter = new FeaturePainter(g, scale, new CollisionIndex());
            for (RenderLayer layer : layers) {
                drawLayer(painter, layer, zoom);
            }
        } finally {
            g.dispose();
        }
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        Graphics2D copy = out.createGraphics();
        copy.setComposite(java.awt.AlphaComposite.Src);
        copy.drawImage(canvas, 0, 0, null);
        copy.dispose();
        return out;
    }

    /**
     * A premultiplied canvas's graphics set up as Mapnik's AGG draws: anti-aliased, geometry not snapped to
     * pixels (pure strokes), fractional text metrics.
     */
    static Graphics2D antialiased(BufferedImage canvas) {
        Graphics2D g = canvas.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
        return g;
    }

    /** Draws every attachment of a layer over its features; used by the raster and the hit-grid renderers. */
    static void drawLayer(FeaturePainter painter, RenderLayer layer, int zoom) {
        drawLayer(layer, zoom, (symbolizers, feature, geom, attrs) -> {
            for (Symbolizer s : symbolizers) {
                painter.paint(s, geom, attrs);
            }
        });
    }

    interface FeatureVisitor {
        void visit(List<Symbolizer> symbolizers, RenderFeature feature, PixelGeometry geom, Map<String, Object> attrs);
    }

    static void drawLayer(RenderLayer layer, int zoom, FeatureVisitor visitor) {
        Stylesheet style = layer.style();
        if (style.attachmentCount() == 0 || layer.features().isEmpty() || !style.drawsAtZoom(zoom)) {
            return;
        }
        List<PixelGeometry> geoms = new ArrayList<>(layer.features().size());
        for (RenderFeature f : layer.features()) {
            PixelGeometry geom;
            try {
                geom = WkbReader.read(f.wkbInPixelCoords());
            } catch (IllegalArgumentException e) {
                geom = null;
            }
            geoms.add(geom == null || geom.isEmpty() ? null : geom);
        }
        for (int a = 0; a < style.attachmentCount(); a++) {
            for (int i = 0; i < geoms.size(); i++) {
                PixelGeometry geom = geoms.get(i);
                if (geom == null) {
                    continue;
                }
                RenderFeature f = layer.features().get(i);
                Map<String, Object> attrs = f.attributes() == null ? Map.of() : f.attributes();
                List<Symbolizer> symbolizers = style.symbolizers(a, zoom, attrs, geom.type());
                if (!symbolizers.isEmpty()) {
                    visitor.visit(symbolizers, f, geom, attrs);
                }
            }
        }
    }

    static byte[] encode(BufferedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        try {
            if (!ImageIO.write(image, "png", out)) {
                throw new IllegalStateException("no PNG writer available");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
