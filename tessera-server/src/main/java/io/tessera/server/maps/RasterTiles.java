package io.tessera.server.maps;

import io.tessera.server.maps.MapDrawing.Drawer;
import java.util.List;
import java.util.Map;

/**
 * PNG tiles, UTFGrids and static images, drawn by the Java renderer from the same clipped geometries as
 * the vector tiles. {@link #UNAVAILABLE} answers a clear error where no renderer is built in.
 */
interface RasterTiles extends Instantiator.StyleCheck {

    Tile png(Drawer d, String md5, MapConfig config, LayerFilter filter, TileCoord tile, int scale);

    Tile grid(Drawer d, String md5, MapConfig config, LayerFilter filter, TileCoord tile);

    /** A static image of {@code width}×{@code height} px over the 3857 box {@code bbox} (minx, miny, maxx, maxy). */
    Tile image(Drawer d, String md5, MapConfig config, LayerFilter filter, double[] bbox, int zoom, int width, int height,
               boolean jpeg);

    RasterTiles UNAVAILABLE = new RasterTiles() {
        private RuntimeException unavailable() {
            return MapsErrors.tile("Raster output (png, grid.json, static images) is not available in this build; use .mvt");
        }

        @Override
        public Tile png(Drawer d, String md5, MapConfig config, LayerFilter filter, TileCoord tile, int scale) {
            throw unavailable();
        }

        @Override
        public Tile grid(Drawer d, String md5, MapConfig config, LayerFilter filter, TileCoord tile) {
            throw unavailable();
        }

        @Override
        public Tile image(Drawer d, String md5, MapConfig config, LayerFilter filter, double[] bbox, int zoom, int width,
                          int height, boolean jpeg) {
            throw unavailable();
        }

        @Override
        public Map<Integer, List<String>> warnings(MapConfig config) {
            return Map.of();
        }
    };
}
