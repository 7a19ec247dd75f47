package io.tessera.server.keys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import io.tessera.server.auth.ApiKey;
import io.tessera.server.auth.Caller;
import io.tessera.server.auth.PlatformAuthErrors;
import io.tessera.server.auth.PlatformCallers;
import io.tessera.server.auth.RequestAuth;
import io.tessera.server.http.ApiRequest;
import io.tessera.server.http.Json;
import io.tessera.server.http.PlatformParams;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /api/v3/api_keys}: list, show, create, delete and regenerate keys (platform-api.md §6). Listing and
 * showing take any key of the user (a non-master key sees only itself); changes need the master key.
 */
final class ApiKeysHandler {
    private static final Map<String, Integer> TYPE_WEIGHT = Map.of("master", 0, "default", 1, "regular", 2);
    private static final List<String> ORDERS = List.of("type", "name", "updated_at");
    private static final String RESERVED_NAME = "api_key name cannot be Master nor Default public";

    private final RequestAuth auth;
    private final PlatformCallers callers;
    private final KeyStore store;

    ApiKeysHandler(RequestAuth auth, PlatformCallers callers, KeyStore store) {
        this.auth = auth;
        this.callers = callers;
        this.store = store;
    }

    /** Any key of the user (listing and showing, platform-api.md §6). */
    private Caller caller(ApiRequest req) {
        return auth.resolve(req, PlatformAuthErrors.INSTANCE, req::bodyParam);
    }

    private Caller master(ApiRequest req) {
        return callers.master(req);
    }

    void list(ApiRequest req, ServerResponse res) throws SQLException {
        Caller c = caller(req);
        List<String> types = req.queryParam("type").map(t -> List.of(t.split(","))).orElse(List.of("master", "default", "regular"));
        if (!TYPE_WEIGHT.keySet().containsAll(types)) {
            throw AuthApiErrors.error(400, "Wrong 'type' parameter value. Valid values are one of [\"master\", \"default\", \"regular\"]");
        }
        String order = req.queryParam("order").orElse("type");
        if (!ORDERS.contains(order)) {
            throw AuthApiErrors.error(400, "Wrong 'order' parameter value. Valid values are one of [\"type\", \"name\", \"updated_at\"]");
        }
        int page = positive(req.queryParam("page"), 1);
        int perPage = Math.min(positive(req.queryParam("per_page"), 10), 1000);
        List<KeyStore.StoredKey> keys = store.list(c.user()).stream()
                .filter(k -> c.key().isMaster() || k.key().token().equals(c.key().token()))
                .filter(k -> types.contains(k.key().type().wire()))
                .sorted(comparator(order))
                .toList();
        int from = Math.min(keys.size(), (page - 1) * perPage);
        List<KeyStore.StoredKey> pageKeys = keys.subList(from, Math.min(keys.size(), from + perPage));
        String base = collectionUrl(req, c);
        ObjectNode body = Json.object();
        body.put("total", keys.size());
        body.put("count", pageKeys.size());
        var result = body.putArray("result");
        for (KeyStore.StoredKey k : pageKeys) {
            ObjectNode o = present(c, k);
            o.putObject("_links").putObject("self").put("href", base + "/" + k.key().name());
            result.add(o);
        }
        int last = Math.max(1, (keys.size() + perPage - 1) / perPage);
        ObjectNode links = body.putObject("_links");
        links.putObject("first").put("href", pageUrl(base, 1, perPage));
        links.putObject("last").put("href", pageUrl(base, last, perPage));
        if (page > 1) {
            links.putObject("prev").put("href", pageUrl(base, Math.min(page - 1, last), perPage));
        }
        if (page < last) {
            links.putObject("next").put("href", pageUrl(base, page + 1, perPage));
        }
        send(res, 200, body);
    }

    void show(ApiRequest req, ServerResponse res) throws SQLException {
        Caller c = caller(req);
        String name = req.pathParam("name");
        KeyStore.StoredKey k = store.find(c.user(), name)
                .filter(found -> c.key().isMaster() || found.key().token().equals(c.key().token()))
                .orElseThrow(() -> AuthApiErrors.notFound(name));
        send(res, 200, present(c, k));
    }

    void create(ApiRequest req, ServerResponse res) throws SQLException {
        Caller c = master(req);
        JsonNode body = req.jsonBody().orElse(Json.object());
        String name = Optional.ofNullable(body.get("name")).map(JsonNode::asText)
                .or(() -> req.queryParam("name")).orElse("").trim();
        if (name.isEmpty()) {
            throw AuthApiErrors.unprocessable("Validation failed: Name can't be blank");
        }
        if (name.equalsIgnoreCase("Master") || name.equalsIgnoreCase("Default public")) {
            throw AuthApiErrors.unprocessable(RESERVED_NAME);
        }
        GrantsSpec grants = GrantsSpec.parse(body.get("grants"));
        KeyStore.StoredKey created = store.create(c.user(), name, grants);
        send(res, 201, present(c, created));
    }

    void delete(ApiRequest req, ServerResponse res) throws SQLException {
        Caller c = master(req);
        String name = req.pathParam("name");
        KeyStore.StoredKey k = store.find(c.user(), name).orElseThrow(() -> AuthApiErrors.notFound(name));
        if (k.key().type() != ApiKey.Type.REGULAR) {
            throw AuthApiErrors.forbidden();
        }
        store.delete(c.user(), k);
        res.status(Status.NO_CONTENT_204).send();
    }

    void regenerate(ApiRequest req, ServerResponse res) throws SQLException {
        Caller c = master(req);
        String name = req.pathParam("name");
        KeyStore.StoredKey k = store.find(c.user(), name).orElseThrow(() -> AuthApiErrors.notFound(name));
        if (k.key().type() == ApiKey.Type.DEFAULT) {
            throw AuthApiErrors.forbidden(); // default_public is the same well-known token for everyone
        }
        send(res, 200, present(c, store.regenerate(c.user(), k)));
    }

    private ObjectNode present(Caller c, KeyStore.StoredKey k) throws SQLException {
        DatabaseGrants db = k.key().type() == ApiKey.Type.REGULAR ? store.databaseGrants(k.key().dbRole()) : DatabaseGrants.NONE;
        return KeyPresenter.present(c.user(), k, db);
    }

    private static Comparator<KeyStore.StoredKey> comparator(String order) {
        Comparator<KeyStore.StoredKey> byType = Comparator.comparing(k -> TYPE_WEIGHT.get(k.key().type().wire()));
        return switch (order) {
            case "name" -> byType.thenComparing(k -> k.key().name());
            case "updated_at" -> byType.thenComparing(KeyStore.StoredKey::updatedAt);
            default -> byType.thenComparing(k -> k.key().name());
        };
    }

    private static int positive(Optional<String> value, int fallback) {
        try {
            return value.map(Integer::parseInt).filter(v -> v > 0).orElse(fallback);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    /** The absolute collection URL as the client addressed it (Host, and the /user/NAME prefix if used). */
    private static String collectionUrl(ApiRequest req, Caller c) {
        return PlatformParams.baseUrl(req, c.user().username()) + "api/v3/api_keys";
    }

    private static String pageUrl(String base, int page, int perPage) {
        return base + "?page=" + page + "&per_page=" + perPage;
    }

    private static void send(ServerResponse res, int status, ObjectNode body) {
        PlatformParams.sendJson(res, status, body);
    }
}
