package io.tessera.client.maps;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tessera.client.auth.AuthClient;
import io.tessera.client.http.ApiRequest;
import io.tessera.client.http.Responses;
import java.util.Optional;

/**
 * An anonymous map, as carto-python's {@code AnonymousMap}: {@link #instantiate} POSTs the layergroup config to
 * {@code api/v1/map/} and keeps {@code layergroupid}, {@code last_updated}, {@code metadata} and {@code cdn_url}.
 */
public class AnonymousMap extends BaseMap {
    private JsonNode response;

    public AnonymousMap(AuthClient auth) {
        super(auth);
    }

    /** Instantiates {@code mapConfig} (the client's credentials go where the auth client puts them). */
    public AnonymousMap instantiate(ObjectNode mapConfig) {
        response = Responses.json(auth.send(ApiRequest.post("api/v1/map/").withJson(mapConfig.deepCopy())));
        return this;
    }

    /** The layergroup id ({@code hash:cachebuster}), or null before {@link #instantiate}. */
    public String layergroupId() {
        return response == null ? null : response.path("layergroupid").asText(null);
    }

    public Optional<String> lastUpdated() {
        return response == null ? Optional.empty() : Optional.ofNullable(response.path("last_updated").asText(null));
    }

    /** {@code metadata} of the answer (layers, tilejson, url). */
    public JsonNode metadata() {
        return response == null ? null : response.get("metadata");
    }

    public Optional<JsonNode> cdnUrl() {
        return response == null ? Optional.empty() : Optional.ofNullable(response.get("cdn_url"));
    }

    /** The whole instantiation answer. */
    public JsonNode response() {
        return response;
    }

    @Override
    protected String collectionPath() {
        return "api/v1/map/";
    }

    @Override
    protected String tileId() {
        return layergroupId();
    }

    @Override
    protected Optional<String> authToken() {
        return Optional.empty();
    }
}
