package io.tessera.client.maps;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tessera.client.auth.AuthClient;
import io.tessera.client.http.ApiRequest;
import io.tessera.client.http.Responses;
import java.util.Objects;
import java.util.Optional;

/**
 * A named map (template), as carto-python's {@code NamedMap}: {@link #save} (PUT), {@link #delete},
 * {@link #refresh}, {@link #instantiate} with placeholder values and an optional auth token. Tile URLs use the
 * template id and carry the first valid token when the template has token auth.
 */
public class NamedMap extends BaseMap {
    private ObjectNode template;

    NamedMap(AuthClient auth, ObjectNode template) {
        super(auth);
        this.template = Objects.requireNonNull(template, "template");
    }

    /** The template id (its name). */
    public String templateId() {
        return template.path("name").asText(null);
    }

    /** The template as last read or written; edit it and {@link #save}. */
    public ObjectNode template() {
        return template;
    }

    /** PUTs the template to {@code api/v1/map/named/<id>}. */
    public NamedMap save() {
        Responses.json(auth.send(ApiRequest.put(path()).withJson(template.deepCopy())));
        return this;
    }

    /** Deletes the template (HTTP 204). */
    public void delete() {
        Responses.json(auth.send(ApiRequest.delete(path())));
    }

    /** Reads the template again from the server. */
    public NamedMap refresh() {
        template = (ObjectNode) Responses.json(auth.send(ApiRequest.get(path()))).get("template");
        return this;
    }

    /**
     * Instantiates the template with {@code params} (placeholder values) and {@code authToken} (or null).
     *
     * @return the layergroup answer: {@code layergroupid}, {@code last_updated}, {@code metadata}
     */
    public JsonNode instantiate(ObjectNode params, String authToken) {
        ApiRequest req = ApiRequest.post(path()).withJson(params == null ? template.objectNode() : params.deepCopy());
        if (authToken != null) {
            req = req.withQuery("auth_token", authToken);
        }
        return Responses.json(auth.send(req));
    }

    private String path() {
        return "api/v1/map/named/" + templateId();
    }

    @Override
    protected String collectionPath() {
        return "api/v1/map/named/";
    }

    @Override
    protected String tileId() {
        return templateId();
    }

    @Override
    protected Optional<String> authToken() {
        JsonNode auth = template.path("auth");
        if (!"token".equals(auth.path("method").asText()) || auth.path("valid_tokens").isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(auth.path("valid_tokens").get(0).asText());
    }
}
