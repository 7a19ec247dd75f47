package io.tessera.server.maps;

import io.helidon.webserver.http.ServerResponse;
import io.tessera.server.http.ApiRequest;

/**
 * Layergroup tiles: {@code /map/:token/:z/:x/:y[@2x].:format} (every mapnik layer) and
 * {@code /map/:token/:layer/:z/:x/:y.:format}. MVT comes from PostGIS; PNG and UTFGrid from the renderer.
 */
final class TileHandler {
    private final LayergroupAccess access;
    private final MapDrawing drawing;
    private final RasterTiles raster;

    TileHandler(LayergroupAccess access, MapDrawing drawing, RasterTiles raster) {
        this.access = access;
        this.drawing = drawing;
        this.raster = raster;
    }

    void handle(ApiRequest req, ServerResponse res, String token, String layer) {
        MapsHttp.cors(res);
        TilePath path = TilePath.parse(req.pathParam("y"), layer == null);
        TileCoord coord = TileCoord.parse(req.pathParam("z"), req.pathParam("x"), path.y());
        LayergroupAccess.Resolved lg = access.resolve(req, res, token);
        draw(req, res, lg, layer, path, coord);
    }

    void draw(ApiRequest req, ServerResponse res, LayergroupAccess.Resolved lg, String layer, TilePath path, TileCoord coord) {
        MapConfig config = lg.stored().config();
        LayerFilter filter = LayerFilter.parse(config, layer);
        String md5 = lg.token().md5();
        switch (path.format()) {
            case MVT -> TileResponses.send(req, res, drawing.mvt(lg.drawer(), md5, config, filter, coord),
                    "application/x-protobuf", lg.token().cacheBuster());
            case PNG -> {
                if (config.vectorOnly()) {
                    throw MapsErrors.tile("Unsupported format: 'cartocss' option is missing for png");
                }
                TileResponses.send(req, res, raster.png(lg.drawer(), md5, config, filter, coord, path.scale()),
                        "image/png", lg.token().cacheBuster());
            }
            case GRID_JSON -> TileResponses.send(req, res, raster.grid(lg.drawer(), md5, config, filter, coord),
                    "application/json; charset=utf-8", lg.token().cacheBuster());
        }
    }
}
