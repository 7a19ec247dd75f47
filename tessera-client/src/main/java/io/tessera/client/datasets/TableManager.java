package io.tessera.client.datasets;

import io.tessera.client.auth.AuthClient;
import io.tessera.client.http.ApiRequest;
import io.tessera.client.http.Responses;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/** {@code GET api/v1/tables/:id} (carto-python's {@code TableManager.get}). */
public final class TableManager {
    private final AuthClient auth;

    public TableManager(AuthClient auth) {
        this.auth = Objects.requireNonNull(auth, "auth");
    }

    public Table get(String idOrName) {
        return new Table(Responses.json(auth.send(ApiRequest.get("api/v1/tables/" + URLEncoder.encode(idOrName, StandardCharsets.UTF_8)))));
    }
}
