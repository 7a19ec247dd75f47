package io.tessera.server.maps;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import io.tessera.server.http.ApiRequest;
import io.tessera.server.http.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A minimal map page for a layergroup ({@code GET /api/v1/map/:token/viewer}): MapLibre GL (vendored, see
 * {@link #VENDOR}) showing the layergroup's {@code metadata.tilejson.vector}, one style layer per map layer and
 * geometry type. The vendored files are served from {@code /maps/static/…}.
 */
final class MapViewer {
    /** The vendored MapLibre GL release (npm {@code maplibre-gl}, exact version). */
    static final String VENDOR = "maplibre-gl-6.17.0";
    private static final Map<String, String> FILES = Map.of(
            "maplibre-gl.mjs", "text/javascript; charset=utf-8",
            "maplibre-gl-worker.mjs", "text/javascript; charset=utf-8",
            "maplibre-gl.css", "text/css; charset=utf-8",
            "LICENSE.txt", "text/plain; charset=utf-8");

    private final LayergroupAccess access;
    private final String page = new String(resource("/static/map-viewer.html"), StandardCharsets.UTF_8);

    MapViewer(LayergroupAccess access) {
        this.access = access;
    }

    void page(ApiRequest req, ServerResponse res) {
        String token = req.pathParam("token");
        LayergroupAccess.Resolved lg = access.resolve(req, res, token);
        String suffix = req.queryParam("api_key").map(k -> "?api_key=" + URLEncoder.encode(k, StandardCharsets.UTF_8))
                .or(() -> req.queryParam("auth_token").map(t -> "?auth_token=" + URLEncoder.encode(t, StandardCharsets.UTF_8)))
                .orElse("");
        ObjectNode response = LayergroupResponse.build(MapsHttp.mapsBase(req), lg.token(), lg.stored().config(),
                new MapPlan(Map.of()), 0, suffix, Map.of());
        ObjectNode data = Json.object();
        data.set("tilejson", response.at("/metadata/tilejson/vector"));
        ArrayNode ids = data.putArray("layers");
        lg.stored().config().mapnikLayers().forEach(l -> ids.add(l.id()));
        // Inside <script>, "<" could close the element: escape it in the JSON.
        String json = data.toString().replace("<", "\\u003c");
        String html = page.replace("__VENDOR__", "/maps/static/" + VENDOR).replace("__LAYERGROUP__", json);
        res.header(HeaderNames.CONTENT_TYPE, "text/html; charset=utf-8");
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.send(html.getBytes(StandardCharsets.UTF_8));
    }

    void file(ApiRequest req, ServerResponse res) {
        String name = req.pathParam("file");
        String type = req.pathParam("vendor").equals(VENDOR) ? FILES.get(name) : null;
        if (type == null) {
            res.status(Status.NOT_FOUND_404).send();
            return;
        }
        res.header(HeaderNames.CONTENT_TYPE, type);
        res.header(HeaderNames.CACHE_CONTROL, "public,max-age=31536000,immutable");
        res.header("Access-Control-Allow-Origin", "*");
        res.send(resource("/static/" + VENDOR + "/" + name));
    }

    private static byte[] resource(String name) {
        try (InputStream in = MapViewer.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
