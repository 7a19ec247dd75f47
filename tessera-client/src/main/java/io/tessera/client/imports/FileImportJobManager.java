package io.tessera.client.imports;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.client.auth.AuthClient;
import io.tessera.client.http.ApiRequest;
import io.tessera.client.http.Responses;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The Import API (carto-python's {@code FileImportJobManager}): {@link #create} sends an import and returns its
 * job, {@link #all()} lists the imports still running (ids only, as the server gives them), {@link #get} reads one.
 * Import parameters are the API's: {@code privacy}, {@code table_name}, {@code collision_strategy},
 * {@code type_guessing}, {@code quoted_fields_guessing}, {@code content_guessing}, {@code create_vis}.
 */
public final class FileImportJobManager {
    private final AuthClient auth;

    public FileImportJobManager(AuthClient auth) {
        this.auth = Objects.requireNonNull(auth, "auth");
    }

    /** Sends the import and returns its job (state not read yet: call {@code refresh} or {@code await}). */
    public FileImportJob create(ImportSource source, Map<String, String> params) {
        return create(source, params, UploadProgress.NONE);
    }

    public FileImportJob create(ImportSource source, Map<String, String> params, UploadProgress progress) {
        return new FileImportJob(auth, source, params, progress).run();
    }

    /** The imports not yet finished (created in the last 24 hours), each known only by its id. */
    public List<FileImportJob> all() {
        JsonNode answer = Responses.json(auth.send(ApiRequest.get("api/v1/imports/")));
        List<FileImportJob> out = new ArrayList<>();
        answer.path("imports").forEach(id -> out.add(new FileImportJob(auth, id.asText())));
        return out;
    }

    public FileImportJob get(String id) {
        return new FileImportJob(auth, id).refresh();
    }
}
