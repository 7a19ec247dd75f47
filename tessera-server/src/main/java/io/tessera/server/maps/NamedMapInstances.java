package io.tessera.server.maps;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.webserver.http.ServerResponse;
import io.tessera.server.auth.Caller;
import io.tessera.server.http.ApiRequest;
import io.tessera.server.http.Json;
import io.tessera.server.maps.MapDrawing.Drawer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Using a named map (maps-api.md §2.3–2.4): {@code POST /map/named/:id[?auth_token=]}, the JSONP
 * {@code GET /map/named/:id/jsonp}, and tiles straight from a template. The template's auth decides who may
 * (an API key does not bypass a token template); the map draws as the template owner's role.
 */
final class NamedMapInstances {
    private final LayergroupAccess access;
    private final TemplateStore templates;
    private final LayergroupStore layergroups;
    private final Instantiator instantiator;
    private final TileHandler tiles;

    NamedMapInstances(LayergroupAccess access, TemplateStore templates, LayergroupStore layergroups,
                      Instantiator instantiator, TileHandler tiles) {
        this.access = access;
        this.templates = templates;
        this.layergroups = layergroups;
        this.instantiator = instantiator;
        this.tiles = tiles;
    }

    /** A template resolved for one request: its config with the request's values, who draws it. */
    record Bound(ObjectNode template, MapConfig config, ObjectNode ref, String hash8, Drawer drawer, Caller caller) {
    }

    void instantiate(ApiRequest req, ServerResponse res) throws Exception {
        MapsHttp.jsonRoute(req, res, callback -> {
            JsonNode params = NamedMapAdmin.jsonBodyOrNull(req);
            if (params == null && req.raw().content().hasEntity()) {
                throw MapsErrors.badRequest("template POST data must be of type application/json");
            }
            JsonNode p = params == null ? Json.object() : params;
            Bound b = bind(req, res, req.pathParam("id"), p);
            instantiator.instantiate(b.drawer(), b.config(), b.ref(), b.hash8(), MapsHttp.mapsBase(req), suffix(req),
                    callback, res);
        });
    }

    void jsonp(ApiRequest req, ServerResponse res) throws Exception {
        MapsHttp.jsonRoute(req, res, callback -> {
            if (callback == null) {
                throw MapsErrors.badRequest("callback parameter should be present and be a function name");
            }
            Bound b = bind(req, res, req.pathParam("id"), configParam(req));
            instantiator.instantiate(b.drawer(), b.config(), b.ref(), b.hash8(), MapsHttp.mapsBase(req), suffix(req),
                    callback, res);
        });
    }

    /** {@code /map/named/:id[/:layer]/:z/:x/:y.:format}; without a layer segment every layer is drawn. */
    void tile(ApiRequest req, ServerResponse res, String layer) throws SQLException {
        MapsHttp.cors(res);
        TilePath path = TilePath.parse(req.pathParam("y"), false);
        TileCoord coord = TileCoord.parse(req.pathParam("z"), req.pathParam("x"), path.y());
        Bound b = bind(req, res, req.pathParam("id"), configParam(req));
        String md5 = layergroups.save(b.drawer().user().id(), b.config(), b.ref());
        LayergroupToken token = LayergroupToken.named(b.drawer().user().username(), b.hash8(), md5, 0);
        tiles.draw(req, res, new LayergroupAccess.Resolved(token, new LayergroupStore.Stored(b.config(), b.ref()),
                b.drawer(), b.caller()), layer == null ? "all" : layer, path, coord);
    }

    Bound bind(ApiRequest req, ServerResponse res, String id, JsonNode params) throws SQLException {
        LayergroupAccess.MapCaller who = access.authorize(req, res, key -> Optional.ofNullable(params.get(key))
                .filter(JsonNode::isTextual).map(JsonNode::asText));
        Caller caller = who.caller();
        String name = Templates.nameOf(id);
        ObjectNode template = templates.find(caller.user().id(), name, who.round() == null)
                .orElseThrow(() -> MapsErrors.notFound("Template '" + name + "' of user '" + caller.user().username()
                        + "' not found"));
        if (!TemplateAuth.allows(template.path("auth"), req.queryParam("auth_token"))) {
            throw MapsErrors.unauthorizedTemplate();
        }
        ObjectNode values = params.isObject() ? MapConfigParser.withoutCredentials((ObjectNode) params) : Json.object();
        MapConfig config = MapConfigParser.parse(Placeholders.layergroup(template, values));
        ObjectNode ref = Json.object();
        ref.put("name", name);
        // which template, as it was: every later request re-reads the template and refuses if it changed
        ref.put("hash", Hashes.md5Hex(template.toString()));
        String hash8 = ref.get("hash").asText().substring(0, 8);
        res.header("Carto-Template-Hash", hash8);
        return new Bound(template, config, ref, hash8, who.asOwner(), caller);
    }

    static JsonNode configParam(ApiRequest req) {
        Optional<String> config = req.queryParam("config");
        if (config.isEmpty()) {
            return Json.object();
        }
        try {
            JsonNode n = Json.MAPPER.readTree(config.get());
            if (n == null || !n.isObject()) {
                throw new IllegalArgumentException();
            }
            return n;
        } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
            throw MapsErrors.badRequest("Invalid config parameter, should be a valid JSON");
        }
    }

    private static String suffix(ApiRequest req) {
        return req.queryParam("auth_token").map(t -> "?auth_token=" + URLEncoder.encode(t, StandardCharsets.UTF_8)).orElse("");
    }
}
