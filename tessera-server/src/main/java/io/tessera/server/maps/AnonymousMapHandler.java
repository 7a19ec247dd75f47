package io.tessera.server.maps;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpMediaType;
import io.helidon.webserver.http.ServerResponse;
import io.tessera.server.auth.Caller;
import io.tessera.server.http.ApiException;
import io.tessera.server.http.ApiRequest;
import io.tessera.server.http.HttpDates;
import io.tessera.server.http.Json;
import io.tessera.server.maps.MapDrawing.Drawer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * {@code POST /api/v1/map} (JSON config) and {@code GET /api/v1/map?config=…[&callback=…]}: anonymous maps,
 * drawn as the requesting key's role (maps-api.md §1). The key may come in the JSON body, as
 * carto-python sends it; it is read and stripped before the config is hashed or stored.
 */
final class AnonymousMapHandler {
    private final LayergroupAccess access;
    private final Instantiator instantiator;

    AnonymousMapHandler(LayergroupAccess access, Instantiator instantiator) {
        this.access = access;
        this.instantiator = instantiator;
    }

    void handle(ApiRequest req, ServerResponse res) throws Exception {
        MapsHttp.jsonRoute(req, res, callback -> {
            JsonNode config;
            Caller caller;
            if (req.method().equals("POST")) {
                String type = req.raw().headers().contentType().map(HttpMediaType::mediaType)
                        .map(m -> m.type() + "/" + m.subtype()).orElse("");
                if (!type.equals("application/json")) {
                    throw MapsErrors.badRequest("POST data must be of type application/json");
                }
                config = readBody(req);
                JsonNode body = config;
                caller = access.caller(req, res, name -> Optional.ofNullable(body.get(name))
                        .filter(JsonNode::isTextual).map(JsonNode::asText));
            } else {
                String text = req.queryParam("config")
                        .orElseThrow(() -> MapsErrors.badRequest("layergroup GET needs a \"config\" parameter"));
                config = parse(text);
                caller = access.caller(req, res, name -> Optional.empty());
                res.header(HeaderNames.CACHE_CONTROL, "public,max-age=86400,must-revalidate");
                res.header(HeaderNames.LAST_MODIFIED, HttpDates.format(System.currentTimeMillis()));
            }
            checkAggregationParam(req);
            checkSize(config);
            MapConfig parsed = MapConfigParser.parse(config);
            String suffix = LayergroupAccess.presentedKey(caller)
                    ? "?api_key=" + URLEncoder.encode(caller.key().token(), StandardCharsets.UTF_8) : "";
            instantiator.instantiate(new Drawer(caller.key().dbRole(), caller.user(), false), parsed, null, null,
                    MapsHttp.mapsBase(req), suffix, callback, res);
        });
    }

    /**
     * Every anonymous map is stored (until {@link LayergroupPurge} removes it unused), so its size is capped:
     * system property {@code tessera.maps.maxConfigBytes}, default 256 KiB.
     */
    static final String MAX_CONFIG_PROPERTY = "tessera.maps.maxConfigBytes";
    private static final long MAX_CONFIG_BYTES = Long.getLong(MAX_CONFIG_PROPERTY, 256 * 1024);

    private static void checkSize(JsonNode config) {
        long bytes = config.toString().getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_CONFIG_BYTES) {
            throw MapsErrors.mapconfig("Map config too large: " + bytes + " bytes, the limit is " + MAX_CONFIG_BYTES + " bytes");
        }
    }

    private static void checkAggregationParam(ApiRequest req) {
        Optional<String> a = req.queryParam("aggregation");
        if (a.isPresent() && !a.get().equals("true") && !a.get().equals("false")) {
            throw MapsErrors.badRequest("Invalid value for 'aggregation' query param: " + a.get()
                    + ". Valid ones are 'true' or 'false'");
        }
    }

    static JsonNode readBody(ApiRequest req) {
        try {
            return req.jsonBody().orElseThrow(() -> MapsErrors.mapconfig("Missing layers array from layergroup config"));
        } catch (ApiException e) {
            if (e.status() == 400 && e.body() != null && e.body().has("error")) {
                throw MapsErrors.badRequest("SyntaxError: " + e.body().get("error").get(0).asText());
            }
            throw e;
        }
    }

    static JsonNode parse(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw MapsErrors.badRequest("SyntaxError: " + e.getOriginalMessage());
        }
    }
}
