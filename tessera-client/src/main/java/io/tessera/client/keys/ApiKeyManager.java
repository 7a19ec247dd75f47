package io.tessera.client.keys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tessera.client.CartoException;
import io.tessera.client.Json;
import io.tessera.client.auth.AuthClient;
import io.tessera.client.http.ApiRequest;
import io.tessera.client.http.Responses;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The Auth API ({@code api/v3/api_keys}), as carto-python's {@code APIKeyManager}: list, get, create regular
 * keys with table grants, delete and regenerate tokens. Creating and changing keys needs the master key.
 */
public class ApiKeyManager {
    private static final String PATH = "api/v3/api_keys/";
    private static final int PER_PAGE = 100;

    private final AuthClient auth;

    public ApiKeyManager(AuthClient auth) {
        this.auth = Objects.requireNonNull(auth, "auth");
    }

    /** Every key the client's key may see (all of them for the master key; itself otherwise), page by page. */
    public List<ApiKey> all() {
        List<ApiKey> out = new ArrayList<>();
        for (int page = 1; ; page++) {
            JsonNode body = Responses.json(auth.send(ApiRequest.get(PATH)
                    .withQuery("page", Integer.toString(page)).withQuery("per_page", Integer.toString(PER_PAGE))));
            body.path("result").forEach(k -> out.add(ApiKey.of(k)));
            if (body.path("result").isEmpty() || out.size() >= body.path("total").asInt()) {
                return out;
            }
        }
    }

    /** One key by name; a {@link CartoException} with status 404 when there is none. */
    public ApiKey get(String name) {
        return ApiKey.of(Responses.json(auth.send(ApiRequest.get(keyPath(name)))));
    }

    /**
     * Creates a regular key that may use {@code apis} ({@code sql}, {@code maps}) and holds {@code tables}
     * (the server grants exactly those privileges to the key's own database role).
     */
    public ApiKey create(String name, List<String> apis, List<ApiKey.TableGrant> tables) {
        if (apis == null || apis.isEmpty()) {
            throw new IllegalArgumentException("'apis' cannot be empty: name the CARTO APIs to grant, e.g. [sql, maps]");
        }
        ObjectNode body = Json.mapper().createObjectNode().put("name", name);
        ArrayNode grants = body.putArray("grants");
        apis.forEach(grants.addObject().put("type", "apis").putArray("apis")::add);
        ArrayNode tableGrants = grants.addObject().put("type", "database").putArray("tables");
        for (ApiKey.TableGrant t : tables == null ? List.<ApiKey.TableGrant>of() : tables) {
            ObjectNode o = tableGrants.addObject().put("schema", t.schema()).put("name", t.name());
            t.permissions().forEach(o.putArray("permissions")::add);
        }
        return ApiKey.of(Responses.json(auth.send(ApiRequest.post(PATH).withJson(body))));
    }

    /** Deletes a regular key (its database role goes with it). */
    public void delete(String name) {
        Responses.json(auth.send(ApiRequest.delete(keyPath(name))));
    }

    /** Gives a key a new token; the old one stops working. */
    public ApiKey regenerateToken(String name) {
        return ApiKey.of(Responses.json(auth.send(ApiRequest.post(keyPath(name) + "/token/regenerate"))));
    }

    private static String keyPath(String name) {
        return PATH + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
