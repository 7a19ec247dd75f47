package io.tessera.client.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tessera.client.CartoException;
import io.tessera.client.Json;
import io.tessera.client.auth.AuthClient;
import io.tessera.client.http.ApiRequest;
import io.tessera.client.http.Responses;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * One sync table (carto-python's {@code SyncTableJob}): {@link #refresh()} reads it, {@link #forceSync()}
 * sends carto-python's body-less {@code PUT /synchronizations/:id} (queues a run now), {@link #await} polls
 * until the current run ends. Fields are those of the {@code <sync>} object.
 */
public final class SyncTableJob {
    /** States in which a run is still under way. */
    public static final Set<String> RUNNING_STATES = Set.of("created", "queued", "syncing");

    private final AuthClient auth;
    private JsonNode fields;

    SyncTableJob(AuthClient auth, JsonNode fields) {
        this.auth = auth;
        this.fields = fields;
    }

    static SyncTableJob create(AuthClient auth, String url, int interval) {
        ObjectNode body = Json.mapper().createObjectNode().put("url", url).put("interval", interval);
        return new SyncTableJob(auth, Responses.json(auth.send(ApiRequest.post("api/v1/synchronizations/").withJson(body))));
    }

    static SyncTableJob read(AuthClient auth, String id) {
        return new SyncTableJob(auth, Json.mapper().createObjectNode().put("id", id)).refresh();
    }

    public SyncTableJob refresh() {
        fields = Responses.json(auth.send(ApiRequest.get("api/v1/synchronizations/" + id())));
        return this;
    }

    /** Asks for a run now (ignored by the server while one is queued or running); returns the sync as answered. */
    public SyncTableJob forceSync() {
        fields = Responses.json(auth.send(ApiRequest.put("api/v1/synchronizations/" + id())));
        return this;
    }

    /** Stops syncing; the table stays as a normal dataset. */
    public void delete() {
        Responses.bytes(auth.send(ApiRequest.delete("api/v1/synchronizations/" + id())));
    }

    /**
     * Polls every {@code poll} until the sync is no longer queued or syncing and its {@code ran_at} differs
     * from {@code previousRanAt} (null for the first run).
     */
    public SyncTableJob await(String previousRanAt, Duration timeout, Duration poll) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            refresh();
            if (!RUNNING_STATES.contains(state()) && !Optional.ofNullable(previousRanAt).equals(ranAt())) {
                return this;
            }
            if (System.nanoTime() > deadline) {
                throw new CartoException("sync " + id() + " still " + state() + " after " + timeout);
            }
            try {
                Thread.sleep(poll.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CartoException("interrupted while waiting for sync " + id(), e);
            }
        }
    }

    public String id() {
        return fields.path("id").asText();
    }

    public String state() {
        return fields.path("state").asText(null);
    }

    public Optional<String> name() {
        return text("name");
    }

    public Optional<String> visualizationId() {
        return text("visualization_id");
    }

    public Optional<String> ranAt() {
        return text("ran_at");
    }

    public Optional<Integer> errorCode() {
        return fields.hasNonNull("error_code") ? Optional.of(fields.get("error_code").asInt()) : Optional.empty();
    }

    public Optional<String> errorMessage() {
        return text("error_message");
    }

    public int interval() {
        return fields.path("interval").asInt();
    }

    /** The POST's {@code data_import.item_queue_id} (only on a job just created). */
    public Optional<String> itemQueueId() {
        JsonNode v = fields.path("data_import").get("item_queue_id");
        return v == null || v.isNull() ? Optional.empty() : Optional.of(v.asText());
    }

    public ObjectNode fields() {
        return fields.isObject() ? ((ObjectNode) fields).deepCopy() : Json.mapper().createObjectNode();
    }

    private Optional<String> text(String key) {
        JsonNode v = fields.get(key);
        return v == null || v.isNull() ? Optional.empty() : Optional.of(v.asText());
    }
}
