package io.tessera.server.maps;

import io.helidon.http.Status;
import io.tessera.server.db.ChangeFeed;
import io.tessera.server.http.Router;
import io.tessera.server.module.ApiModule;
import io.tessera.server.module.ServerContext;
import java.util.Set;

/**
 * The Maps API (maps-api.md §1–5): anonymous and named maps, vector tiles from PostGIS, raster tiles
 * and static images from the Java renderer, feature attributes. Routes are registered most specific
 * first: the router takes the first pattern that matches.
 */
public final class MapsModule implements ApiModule {
    /**
     * Bytes of tiles kept in memory per server: system property {@code tessera.maps.tileCacheBytes}, default 64 MiB;
     * 0 turns the cache off (the P5 benchmark measures drawing that way).
     */
    static final String TILE_CACHE_PROPERTY = "tessera.maps.tileCacheBytes";
    static final long DEFAULT_TILE_CACHE_BYTES = 64L * 1024 * 1024;

    private final AnonymousMapHandler anonymous;
    private final TileHandler tiles;
    private final AttributesHandler attributes;
    private final NamedMapAdmin namedAdmin;
    private final NamedMapInstances named;
    private final StaticMapHandler statics;
    private final MapViewer viewer;
    private final LayergroupPurge purge;

    public MapsModule(ServerContext ctx) {
        LayergroupStore store = new LayergroupStore(ctx.platform().admin().dataSource());
        ChangeFeed feed = ctx.platform().changeFeed();
        MapDrawing drawing = new MapDrawing(ctx.platform().pools(), feed, ctx.watchdog(), ctx.config().sqlTimeoutMs(),
                Long.getLong(TILE_CACHE_PROPERTY, DEFAULT_TILE_CACHE_BYTES));
        RasterTiles raster = new JavaRasterTiles(drawing);
        TemplateStore templates = new TemplateStore(ctx.platform().admin().dataSource(), feed);
        LayergroupAccess access = new LayergroupAccess(ctx.auth(), store, templates, feed);
        Instantiator instantiator = new Instantiator(store, drawing, raster);
        this.anonymous = new AnonymousMapHandler(access, instantiator);
        this.tiles = new TileHandler(access, drawing, raster);
        this.attributes = new AttributesHandler(access, drawing);
        this.namedAdmin = new NamedMapAdmin(access, templates, store);
        this.named = new NamedMapInstances(access, templates, store, instantiator, tiles);
        this.statics = new StaticMapHandler(access, named, store, raster);
        this.viewer = new MapViewer(access);
        this.purge = new LayergroupPurge(store);
    }

    @Override
    public void close() {
        purge.close();
    }

    @Override
    public void register(Router router) {
        String m = "/api/{version}/map";
        router.add(Set.of("OPTIONS"), m, (req, res) -> {
                    MapsHttp.cors(res);
                    res.status(Status.OK_200).send();
                })
                .add(Set.of("POST", "GET"), m, anonymous::handle)
                .add(Set.of("OPTIONS"), m + "/named/{id}", (req, res) -> {
                    MapsHttp.cors(res);
                    res.status(Status.OK_200).send();
                })
                .add(Set.of("GET"), m + "/static/center/{token}/{z}/{lat}/{lng}/{w}/{h}", statics::center)
                .add(Set.of("GET"), m + "/static/bbox/{token}/{bbox}/{w}/{h}", statics::bbox)
                .add(Set.of("GET"), m + "/static/named/{id}/{w}/{h}", statics::named)
                .add(Set.of("POST", "GET"), m + "/named", namedAdmin::collection)
                .add(Set.of("GET"), m + "/named/{id}/jsonp", named::jsonp)
                .add(Set.of("POST"), m + "/named/{id}", named::instantiate)
                .add(Set.of("GET", "PUT", "DELETE"), m + "/named/{id}", namedAdmin::item)
                .add(Set.of("GET"), m + "/named/{id}/{layer}/{z}/{x}/{y}",
                        (req, res) -> named.tile(req, res, req.pathParam("layer")))
                .add(Set.of("GET"), m + "/named/{id}/{z}/{x}/{y}", (req, res) -> named.tile(req, res, null))
                .add(Set.of("GET"), m + "/{token}/{layer}/attributes/{fid}", attributes::handle)
                .add(Set.of("GET"), m + "/{token}/viewer", viewer::page)
                .add(Set.of("GET"), "/maps/static/{vendor}/{file}", viewer::file)
                .add(Set.of("GET"), m + "/{token}/{z}/{x}/{y}",
                        (req, res) -> tiles.handle(req, res, req.pathParam("token"), null))
                .add(Set.of("GET"), m + "/{token}/{layer}/{z}/{x}/{y}",
                        (req, res) -> tiles.handle(req, res, req.pathParam("token"), req.pathParam("layer")));
    }
}
