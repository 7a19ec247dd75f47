package io.tessera.client.sync;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.client.auth.AuthClient;
import io.tessera.client.http.ApiRequest;
import io.tessera.client.http.Responses;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Sync tables (carto-python's {@code SyncTableJobManager}): {@link #create} makes a table that the server
 * re-imports from a URL every {@code interval} seconds (at least 900), {@link #all()} lists the user's syncs.
 */
public final class SyncTableJobManager {
    private final AuthClient auth;

    public SyncTableJobManager(AuthClient auth) {
        this.auth = Objects.requireNonNull(auth, "auth");
    }

    /** POSTs {@code {"url", "interval"}}; the returned job holds the server's answer (state {@code queued}). */
    public SyncTableJob create(String url, int interval) {
        return SyncTableJob.create(auth, url, interval);
    }

    public List<SyncTableJob> all() {
        JsonNode answer = Responses.json(auth.send(ApiRequest.get("api/v1/synchronizations/")));
        List<SyncTableJob> out = new ArrayList<>();
        answer.path("synchronizations").forEach(s -> out.add(new SyncTableJob(auth, s)));
        return out;
    }

    public SyncTableJob get(String id) {
        return SyncTableJob.read(auth, id);
    }
}
