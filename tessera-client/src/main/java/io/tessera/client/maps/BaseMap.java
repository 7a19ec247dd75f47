package io.tessera.client.maps;

import io.tessera.client.auth.AuthClient;
import io.tessera.client.http.ApiRequest;
import io.tessera.client.http.Responses;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * What anonymous and named maps share: the id tiles are addressed by and carto-python's {@code get_tile_url},
 * plus fetching a tile through the auth client (an empty tile, HTTP 204, comes back as zero bytes).
 */
public abstract class BaseMap {
    protected final AuthClient auth;

    protected BaseMap(AuthClient auth) {
        this.auth = Objects.requireNonNull(auth, "auth");
    }

    /** {@code api/v1/map/} or {@code api/v1/map/named/}. */
    protected abstract String collectionPath();

    /** The id in tile URLs: the layergroup id or the template id. */
    protected abstract String tileId();

    /** The token to add as {@code auth_token}, if the map has one. */
    protected abstract Optional<String> authToken();

    /**
     * The URL carto-python's {@code get_tile_url(x, y, z, layer_id, feature_id, filter, extension)} builds:
     * {@code <id>/<layer>/attributes/<fid>} with a feature id, {@code <id>/<filter>/z/x/y.ext} with a filter,
     * {@code <id>/<layer>/z/x/y.ext} with a layer, else {@code <id>/z/x/y.ext}.
     *
     * @param layerId   layer index or id, or null
     * @param featureId feature id for attributes, or null
     * @param filter    layer filter ({@code all}, {@code 0,1}), or null
     * @param extension {@code png}, {@code mvt}, {@code grid.json}; null means {@code png}
     */
    public String getTileUrl(int x, int y, int z, String layerId, String featureId, String filter, String extension) {
        return auth.baseUrl() + tilePath(x, y, z, layerId, featureId, filter, extension);
    }

    /** {@link #getTileUrl} for {@code z/x/y.png} of every layer. */
    public String getTileUrl(int x, int y, int z) {
        return getTileUrl(x, y, z, null, null, null, null);
    }

    String tilePath(int x, int y, int z, String layerId, String featureId, String filter, String extension) {
        String ext = extension == null ? "png" : extension;
        String id = requireId();
        String rest;
        if (layerId != null && featureId != null) {
            rest = id + "/" + layerId + "/attributes/" + featureId;
        } else if (layerId != null && filter != null) {
            rest = id + "/" + filter + "/" + z + "/" + x + "/" + y + "." + ext;
        } else if (layerId != null) {
            rest = id + "/" + layerId + "/" + z + "/" + x + "/" + y + "." + ext;
        } else {
            rest = id + "/" + z + "/" + x + "/" + y + "." + ext;
        }
        return collectionPath() + rest + authToken().map(t -> "?auth_token=" + URLEncoder.encode(t, StandardCharsets.UTF_8))
                .orElse("");
    }

    /** Fetches a tile (or attributes) with this client's credentials; an empty tile gives zero bytes. */
    public byte[] fetchTile(int x, int y, int z, String layerId, String extension) {
        String path = tilePath(x, y, z, layerId, null, null, extension);
        ApiRequest req = ApiRequest.get(path.contains("?") ? path.substring(0, path.indexOf('?')) : path);
        Optional<String> token = authToken();
        if (token.isPresent()) {
            req = req.withQuery("auth_token", token.get());
        }
        var response = auth.send(req);
        if (response.statusCode() == 204) {
            Responses.bytes(response);
            return new byte[0];
        }
        return Responses.bytes(response);
    }

    private String requireId() {
        String id = tileId();
        if (id == null) {
            throw new IllegalStateException("the map has no id yet: instantiate or create it first");
        }
        return id;
    }
}
