package io.tessera.server.maps;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tessera.server.maps.MapConfig.Layer;
import io.tessera.server.maps.MapDrawing.Drawer;
import io.tessera.server.maps.render.CartoCss;
import io.tessera.server.maps.render.CartoCssException;
import io.tessera.server.maps.render.RenderLayer;
import io.tessera.server.maps.render.Stylesheet;
import io.tessera.server.maps.render.TileRenderer;
import io.tessera.server.maps.render.UtfGridRenderer;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * PNG tiles, UTFGrids and static images from the Java2D renderer ({@code maps.render}), over the same
 * clipped geometries as the vector tiles, cached like them. Only mapnik layers are drawn: {@code http}
 * basemaps are never fetched by the server (no outbound requests from map configs) and {@code plain}
 * layers are left to the client.
 */
final class JavaRasterTiles implements RasterTiles {
    private static final int GRID_RESOLUTION = 4;

    private final MapDrawing drawing;
    private final Cache<String, Stylesheet> styles = Caffeine.newBuilder().maximumSize(2_000).build();

    JavaRasterTiles(MapDrawing drawing) {
        this.drawing = drawing;
    }

    @Override
    public Map<Integer, List<String>> warnings(MapConfig config) {
        Map<Integer, List<String>> out = new LinkedHashMap<>();
        for (Layer l : config.mapnikLayers()) {
            if (l.cartocss() != null) {
                out.put(l.index(), style(l).warnings());
            }
        }
        return out;
    }

    private Stylesheet style(Layer l) {
        try {
            return styles.get(l.cartocss(), CartoCss::parse);
        } catch (CartoCssException e) {
            throw MapsErrors.error(400, "layer", "turbo-carto", "style" + l.index() + ": " + e.getMessage(), l.ref());
        }
    }

    @Override
    public Tile png(Drawer d, String md5, MapConfig config, LayerFilter filter, TileCoord tile, int scale) {
        int size = 256 * scale;
        int buffer = config.bufferPx("png") * scale;
        List<Layer> layers = drawable(filter.mapnik(), tile.z());
        return drawing.tile(d, md5, config, layers, filter.key(), tile + "@" + scale + ".png", (c, plan, ls) ->
                TileRenderer.renderPng(size, size, scale, tile.z(),
                        renderLayers(c, plan, ls, FeatureQuery.Frame.tile(tile, size, buffer), false)));
    }

    @Override
    public Tile grid(Drawer d, String md5, MapConfig config, LayerFilter filter, TileCoord tile) {
        List<Layer> selected = filter.mapnik();
        if (selected.size() != 1 || selected.get(0).interactivity().isEmpty()) {
            throw MapsErrors.tile("Tileset has no interactivity");
        }
        Layer layer = selected.get(0);
        int buffer = config.bufferPx("grid.json");
        return drawing.tile(d, md5, config, drawable(selected, tile.z()), filter.key(), tile + ".grid.json", (c, plan, ls) ->
                UtfGridRenderer.render(256, GRID_RESOLUTION, tile.z(),
                        renderLayers(c, plan, ls, FeatureQuery.Frame.tile(tile, 256, buffer), true), layer.interactivity()));
    }

    @Override
    public Tile image(Drawer d, String md5, MapConfig config, LayerFilter filter, double[] bbox, int zoom, int width,
                      int height, boolean jpeg) {
        List<Layer> layers = drawable(filter.mapnik(), zoom);
        String what = "static:" + zoom + ":" + bbox[0] + "," + bbox[1] + "," + bbox[2] + "," + bbox[3] + ":" + width + "x"
                + height + (jpeg ? ".jpg" : ".png");
        Tile t = drawing.tile(d, md5, config, layers, filter.key(), what, (c, plan, ls) -> {
            List<RenderLayer> rl = renderLayers(c, plan, ls,
                    FeatureQuery.Frame.box(bbox, width, height, config.bufferPx("png"), zoom), false);
            return jpeg ? jpeg(TileRenderer.render(width, height, 1, zoom, rl))
                    : TileRenderer.renderPng(width, height, 1, zoom, rl);
        });
        if (t.empty()) {
            // An image is always an image, even with nothing on it.
            byte[] blank = jpeg ? jpeg(TileRenderer.render(width, height, 1, zoom, List.of()))
                    : TileRenderer.renderPng(width, height, 1, zoom, List.of());
            return Tile.of(blank, t.stampMillis(), t.tracked());
        }
        return t;
    }

    private List<Layer> drawable(List<Layer> layers, int z) {
        return layers.stream().filter(l -> l.visibleAt(z) && l.cartocss() != null && style(l).drawsAtZoom(z)).toList();
    }

    private List<RenderLayer> renderLayers(Connection c, MapPlan plan, List<Layer> layers, FeatureQuery.Frame frame,
                                           boolean interactive) throws SQLException {
        List<RenderLayer> out = new ArrayList<>();
        for (Layer l : layers) {
            List<String> extra = interactive ? l.interactivity() : List.of();
            out.add(new RenderLayer(style(l), FeatureQuery.read(c, l, plan.of(l), frame, extra)));
        }
        return out;
    }

    private static byte[] jpeg(BufferedImage argb) {
        BufferedImage rgb = new BufferedImage(argb.getWidth(), argb.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = rgb.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, rgb.getWidth(), rgb.getHeight());
            g.drawImage(argb, 0, 0, null);
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(rgb, "jpeg", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
