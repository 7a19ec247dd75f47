package io.tessera.client.datasets;

import io.tessera.client.auth.AuthClient;
import java.util.List;
import java.util.Objects;

/** Maps ({@code type=derived}) of {@code api/v1/viz} (carto-python's {@code VisualizationManager}). */
public final class VisualizationManager {
    private final AuthClient auth;

    public VisualizationManager(AuthClient auth) {
        this.auth = Objects.requireNonNull(auth, "auth");
    }

    public List<Visualization> all() {
        return Visualization.list(auth, "derived").stream().map(j -> new Visualization(auth, j)).toList();
    }

    public Visualization get(String idOrName) {
        return new Visualization(auth, Visualization.read(auth, idOrName, "derived"));
    }
}
