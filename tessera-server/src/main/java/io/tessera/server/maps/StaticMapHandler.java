package io.tessera.server.maps;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.http.ServerResponse;
import io.tessera.server.http.ApiRequest;
import java.sql.SQLException;

/**
 * Static images (maps-api.md §3.3, §2.4): {@code /map/static/center/:token/:z/:lat/:lng/:w/:h.:format},
 * {@code /map/static/bbox/:token/:w,:s,:e,:n/:w/:h.:format} and the named-map preview
 * {@code /map/static/named/:id/:w/:h.:format} (extent from the query, then the template's view, then the world).
 */
final class StaticMapHandler {
    private static final int MAX_SIDE = 8192;
    private static final double HALF_WORLD = SqlTokens.WORLD / 2;

    private final LayergroupAccess access;
    private final NamedMapInstances named;
    private final LayergroupStore store;
    private final RasterTiles raster;

    StaticMapHandler(LayergroupAccess access, NamedMapInstances named, LayergroupStore store, RasterTiles raster) {
        this.access = access;
        this.named = named;
        this.store = store;
        this.raster = raster;
    }

    private record Size(int width, int height, boolean jpeg) {
        static Size parse(String w, String last) {
            int dot = last.indexOf('.');
            String h = dot < 0 ? last : last.substring(0, dot);
            String format = dot < 0 ? "" : last.substring(dot + 1);
            if (!format.equals("png") && !format.equals("jpg")) {
                throw MapsErrors.badRequest("Unsupported image format \"" + format + "\"");
            }
            if (!w.matches("\\d{1,5}") || !h.matches("\\d{1,5}") || Integer.parseInt(w) < 1 || Integer.parseInt(h) < 1
                    || Integer.parseInt(w) > MAX_SIDE || Integer.parseInt(h) > MAX_SIDE) {
                throw MapsErrors.badRequest("Invalid image size " + w + "x" + h + " (1 to " + MAX_SIDE + " px per side)");
            }
            return new Size(Integer.parseInt(w), Integer.parseInt(h), format.equals("jpg"));
        }
    }

    void center(ApiRequest req, ServerResponse res) {
        MapsHttp.cors(res);
        Size size = Size.parse(req.pathParam("w"), req.pathParam("h"));
        String z = req.pathParam("z");
        if (!z.matches("\\d{1,2}") || Integer.parseInt(z) > 30) {
            throw MapsErrors.tile("Invalid zoom value (" + z + ")");
        }
        double lat = number(req.pathParam("lat"));
        double lng = number(req.pathParam("lng"));
        LayergroupAccess.Resolved lg = access.resolve(req, res, req.pathParam("token"));
        draw(req, res, lg, centered(lat, lng, Integer.parseInt(z), size), Integer.parseInt(z), size);
    }

    void bbox(ApiRequest req, ServerResponse res) {
        MapsHttp.cors(res);
        Size size = Size.parse(req.pathParam("w"), req.pathParam("h"));
        double[] box = lonLatBox(req.pathParam("bbox"));
        LayergroupAccess.Resolved lg = access.resolve(req, res, req.pathParam("token"));
        draw(req, res, lg, box, zoomFor(box, size), size);
    }

    void named(ApiRequest req, ServerResponse res) throws SQLException {
        MapsHttp.cors(res);
        Size size = Size.parse(req.pathParam("w"), req.pathParam("h"));
        NamedMapInstances.Bound b = named.bind(req, res, req.pathParam("id"), NamedMapInstances.configParam(req));
        String md5 = store.save(b.drawer().user().id(), b.config(), b.ref());
        LayergroupAccess.Resolved lg = new LayergroupAccess.Resolved(
                LayergroupToken.named(b.drawer().user().username(), b.hash8(), md5, 0),
                new LayergroupStore.Stored(b.config(), b.ref()), b.drawer(), b.caller());
        JsonNode view = b.template().path("view");
        var zoom = req.queryParam("zoom");
        var lon = req.queryParam("lon");
        var lat = req.queryParam("lat");
        double[] box;
        int z;
        if (zoom.isPresent() && lon.isPresent() && lat.isPresent()) {
            z = Math.min(30, (int) number(zoom.get()));
            box = centered(number(lat.get()), number(lon.get()), z, size);
        } else if (req.queryParam("bbox").isPresent()) {
            box = lonLatBox(req.queryParam("bbox").get());
            z = zoomFor(box, size);
        } else if (view.has("zoom") && view.path("center").has("lng")) {
            z = view.get("zoom").asInt();
            box = centered(view.at("/center/lat").asDouble(), view.at("/center/lng").asDouble(), z, size);
        } else if (view.path("bounds").has("west")) {
            JsonNode v = view.get("bounds");
            box = lonLatBox(v.get("west").asDouble() + "," + v.get("south").asDouble() + "," + v.get("east").asDouble()
                    + "," + v.get("north").asDouble());
            z = zoomFor(box, size);
        } else {
            z = 1;
            box = centered(0, 0, 1, size);
        }
        draw(req, res, lg, box, z, size);
    }

    private void draw(ApiRequest req, ServerResponse res, LayergroupAccess.Resolved lg, double[] box, int z, Size size) {
        MapConfig config = lg.stored().config();
        if (config.vectorOnly()) {
            throw MapsErrors.tile("Unsupported format: 'cartocss' option is missing for png");
        }
        LayerFilter filter = LayerFilter.parse(config, req.queryParam("layer").orElse("all"));
        Tile t = raster.image(lg.drawer(), lg.token().md5(), config, filter, box, z, size.width(), size.height(), size.jpeg());
        TileResponses.send(req, res, t, size.jpeg() ? "image/jpeg" : "image/png", lg.token().cacheBuster());
    }

    private static double[] centered(double lat, double lng, int z, Size size) {
        double res = SqlTokens.WORLD / 256 / Math.pow(2, z);
        double x = lng * HALF_WORLD / 180;
        double clamped = Math.max(-85.0511287798, Math.min(85.0511287798, lat));
        double y = Math.log(Math.tan(Math.PI / 4 + Math.toRadians(clamped) / 2)) * HALF_WORLD / Math.PI;
        return new double[] {x - size.width() * res / 2, y - size.height() * res / 2, x + size.width() * res / 2,
            y + size.height() * res / 2};
    }

    private static double[] lonLatBox(String text) {
        String[] p = text.split(",");
        if (p.length != 4) {
            throw MapsErrors.badRequest("Invalid bbox: expected west,south,east,north");
        }
        double[] ll = new double[4];
        for (int i = 0; i < 4; i++) {
            ll[i] = number(p[i]);
        }
        double[] sw = centered(ll[1], ll[0], 0, new Size(0, 0, false));
        double[] ne = centered(ll[3], ll[2], 0, new Size(0, 0, false));
        if (ne[0] <= sw[0] || ne[1] <= sw[1]) {
            throw MapsErrors.badRequest("Invalid bbox: west,south must be below east,north");
        }
        return new double[] {sw[0], sw[1], ne[0], ne[1]};
    }

    private static int zoomFor(double[] box, Size size) {
        double res = Math.max((box[2] - box[0]) / size.width(), (box[3] - box[1]) / size.height());
        return (int) Math.max(0, Math.min(30, Math.round(Math.log(SqlTokens.WORLD / 256 / res) / Math.log(2))));
    }

    private static double number(String s) {
        try {
            double d = Double.parseDouble(s);
            if (!Double.isFinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw MapsErrors.badRequest("Invalid number '" + s + "'");
        }
    }
}
