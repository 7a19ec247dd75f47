package io.tessera.server.maps;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HttpMediaType;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import io.tessera.server.auth.Caller;
import io.tessera.server.http.ApiRequest;
import io.tessera.server.http.Json;
import java.sql.SQLException;
import java.util.Optional;

/**
 * {@code /api/v1/map/named[/:id]}: create, list, read, update and delete templates, master key only
 * (maps-api.md §2.2): no key → 403 "Only authenticated users…", unknown key → 401, other keys → 403.
 */
final class NamedMapAdmin {
    private final LayergroupAccess access;
    private final TemplateStore templates;
    private final LayergroupStore layergroups;

    NamedMapAdmin(LayergroupAccess access, TemplateStore templates, LayergroupStore layergroups) {
        this.access = access;
        this.templates = templates;
        this.layergroups = layergroups;
    }

    void collection(ApiRequest req, ServerResponse res) throws Exception {
        MapsHttp.jsonRoute(req, res, callback -> {
            if (req.method().equals("POST")) {
                JsonNode body = jsonBodyOrNull(req);
                Caller caller = master(req, res, "create", body);
                ObjectNode t = Templates.validate(required(body, "POST"));
                String name = t.get("name").asText();
                if (!templates.create(caller.user().id(), name, t)) {
                    throw MapsErrors.badRequest("Template '" + name + "' of user '" + caller.user().username() + "' already exists");
                }
                MapsHttp.sendJson(res, 200, Json.object().put("template_id", name), callback);
            } else {
                Caller caller = master(req, res, "list", null);
                ObjectNode out = Json.object();
                templates.names(caller.user().id()).forEach(out.putArray("template_ids")::add);
                if (!out.has("template_ids")) {
                    out.putArray("template_ids");
                }
                MapsHttp.sendJson(res, 200, out, callback);
            }
        });
    }

    void item(ApiRequest req, ServerResponse res) throws Exception {
        MapsHttp.jsonRoute(req, res, callback -> {
            String name = Templates.nameOf(req.pathParam("id"));
            switch (req.method()) {
                case "GET" -> {
                    Caller caller = master(req, res, "get", null);
                    ObjectNode t = templates.find(caller.user().id(), name)
                            .orElseThrow(() -> MapsErrors.notFound("Cannot find template '" + name + "' of user '"
                                    + caller.user().username() + "'"));
                    ObjectNode out = Json.object();
                    out.set("template", t);
                    MapsHttp.sendJson(res, 200, out, callback);
                }
                case "PUT" -> {
                    JsonNode body = jsonBodyOrNull(req);
                    Caller caller = master(req, res, "update", body);
                    ObjectNode t = Templates.validate(required(body, "PUT"));
                    if (!t.get("name").asText().equals(name)) {
                        throw MapsErrors.badRequest("Cannot update name of a map template ('" + name + "' != '"
                                + t.get("name").asText() + "')");
                    }
                    if (!templates.update(caller.user().id(), name, t)) {
                        throw missing(name, caller);
                    }
                    layergroups.forgetTemplate(caller.user().id(), name);
                    MapsHttp.sendJson(res, 200, Json.object().put("template_id", name), callback);
                }
                case "DELETE" -> {
                    Caller caller = master(req, res, "delete", null);
                    if (!templates.delete(caller.user().id(), name)) {
                        throw missing(name, caller);
                    }
                    layergroups.forgetTemplate(caller.user().id(), name);
                    res.status(Status.NO_CONTENT_204).send();
                }
                default -> throw MapsErrors.badRequest("Unsupported method " + req.method());
            }
        });
    }

    private static RuntimeException missing(String name, Caller caller) {
        return MapsErrors.notFound("Template '" + name + "' of user '" + caller.user().username() + "' does not exist");
    }

    private Caller master(ApiRequest req, ServerResponse res, String verb, JsonNode body) throws SQLException {
        Caller caller = access.caller(req, res, key -> Optional.ofNullable(body).map(b -> b.get(key))
                .filter(JsonNode::isTextual).map(JsonNode::asText));
        if (!LayergroupAccess.presentedKey(caller)) {
            throw MapsErrors.error(403, "auth", null, "Only authenticated users can " + verb + " templated maps", null);
        }
        if (!caller.key().isMaster()) {
            throw MapsErrors.forbidden("Forbidden");
        }
        return caller;
    }

    /** The JSON body, or null when the request did not send JSON (the key check comes first). */
    static JsonNode jsonBodyOrNull(ApiRequest req) {
        String type = req.raw().headers().contentType().map(HttpMediaType::mediaType)
                .map(m -> m.type() + "/" + m.subtype()).orElse("");
        return type.equals("application/json") ? AnonymousMapHandler.readBody(req) : null;
    }

    private static JsonNode required(JsonNode body, String method) {
        if (body == null) {
            throw MapsErrors.badRequest(method + " template data must be of type application/json");
        }
        return body;
    }
}
