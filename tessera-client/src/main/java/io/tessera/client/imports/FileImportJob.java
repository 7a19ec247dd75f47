package io.tessera.client.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tessera.client.CartoException;
import io.tessera.client.Json;
import io.tessera.client.auth.AuthClient;
import io.tessera.client.http.ApiRequest;
import io.tessera.client.http.Param;
import io.tessera.client.http.Responses;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One import of the Import API (carto-python's {@code FileImportJob}): {@link #run()} sends it,
 * {@link #refresh()} reads its state, {@link #await} polls until it ends. Its fields are those of
 * {@code GET /api/v1/imports/:id}; {@link #id()} is the {@code item_queue_id} the POST answered.
 */
public final class FileImportJob {
    /** States in which carto-python keeps polling. */
    public static final Set<String> RUNNING_STATES = Set.of("enqueued", "queued", "pending", "uploading", "unpacking",
            "importing", "guessing");

    private final AuthClient auth;
    private final ImportSource source;
    private final Map<String, String> params;
    private final UploadProgress progress;
    private String id;
    private JsonNode fields = Json.mapper().createObjectNode();

    FileImportJob(AuthClient auth, ImportSource source, Map<String, String> params, UploadProgress progress) {
        this.auth = auth;
        this.source = source;
        this.params = Map.copyOf(params);
        this.progress = progress;
    }

    /** A job known only by its id (as {@code FileImportJobManager.all()} gives them). */
    FileImportJob(AuthClient auth, String id) {
        this(auth, null, Map.of(), UploadProgress.NONE);
        this.id = id;
    }

    /** Sends the import; afterwards {@link #id()} is set. */
    public FileImportJob run() {
        if (source == null) {
            throw new IllegalStateException("this job was read from the server; it has no source to send");
        }
        List<Param> query = new ArrayList<>();
        params.forEach((k, v) -> query.add(new Param(k, v)));
        ApiRequest req = ApiRequest.post("api/v1/imports/").withQuery(query);
        req = switch (source) {
            case ImportSource.Url u -> req.withQuery("url", u.url().toString());
            case ImportSource.File f -> Multipart.file(req, f.path(), progress);
            case ImportSource.Stream s -> Multipart.stream(req, s, progress);
        };
        JsonNode answer = Responses.json(auth.send(req));
        id = answer.path("item_queue_id").asText(null);
        if (id == null) {
            throw new CartoException("the import was not queued: " + answer);
        }
        return this;
    }

    /** Reads the import's current state from the server. */
    public FileImportJob refresh() {
        fields = Responses.json(auth.send(ApiRequest.get("api/v1/imports/" + requireId())));
        return this;
    }

    /**
     * Polls every {@code poll} until the import leaves the running states or {@code timeout} passes.
     *
     * @throws CartoException when the import does not end in time
     */
    public FileImportJob await(Duration timeout, Duration poll, Consumer<FileImportJob> onUpdate) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            refresh();
            onUpdate.accept(this);
            if (!RUNNING_STATES.contains(state())) {
                return this;
            }
            if (System.nanoTime() > deadline) {
                throw new CartoException("import " + id + " still " + state() + " after " + timeout);
            }
            try {
                Thread.sleep(poll.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CartoException("interrupted while waiting for import " + id, e);
            }
        }
    }

    private String requireId() {
        if (id == null) {
            throw new IllegalStateException("the import has not been run");
        }
        return id;
    }

    public String id() {
        return id;
    }

    public String state() {
        return fields.path("state").asText(null);
    }

    /** {@code true}/{@code false} once the import ended, empty while it runs. */
    public Optional<Boolean> success() {
        return fields.has("success") ? Optional.of(fields.get("success").asBoolean()) : Optional.empty();
    }

    public Optional<String> tableName() {
        return text("table_name");
    }

    public Optional<String> tableId() {
        return text("table_id");
    }

    public Optional<String> visualizationId() {
        return text("visualization_id");
    }

    public Optional<Integer> errorCode() {
        return fields.hasNonNull("error_code") ? Optional.of(fields.get("error_code").asInt()) : Optional.empty();
    }

    /** The error's title and explanation ({@code get_error_text}), if the import failed. */
    public Optional<String> errorText() {
        JsonNode t = fields.path("get_error_text");
        return t.isObject() ? Optional.of(t.path("title").asText() + ": " + t.path("what_about").asText()) : Optional.empty();
    }

    /** Rows loaded so far (a Tessera extension; 0 against CARTO). */
    public long rows() {
        return fields.path("rows").asLong(0);
    }

    /** Every field of the last answer. */
    public ObjectNode fields() {
        return fields.isObject() ? ((ObjectNode) fields).deepCopy() : Json.mapper().createObjectNode();
    }

    private Optional<String> text(String key) {
        JsonNode v = fields.get(key);
        return v == null || v.isNull() ? Optional.empty() : Optional.of(v.asText());
    }
}
