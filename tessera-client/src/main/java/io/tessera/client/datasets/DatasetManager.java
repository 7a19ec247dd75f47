package io.tessera.client.datasets;

import io.tessera.client.CartoException;
import io.tessera.client.auth.AuthClient;
import io.tessera.client.imports.FileImportJob;
import io.tessera.client.imports.FileImportJobManager;
import io.tessera.client.imports.ImportSource;
import io.tessera.client.imports.UploadProgress;
import io.tessera.client.sync.SyncTableJob;
import io.tessera.client.sync.SyncTableJobManager;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Datasets (carto-python's {@code DatasetManager}): list, get by id or name, and create from a file, a stream or a
 * URL: the import runs and is awaited (with a timeout), then the new dataset is read, through
 * {@code visualization_id} or, when the import has none, {@code api/v1/tables/:table_id} →
 * {@code table_visualization.id}, as the SDK does. With an interval, the URL becomes a sync table: its first
 * run is awaited until {@code state == success} and the dataset read through its {@code visualization_id}.
 */
public final class DatasetManager {
    private final AuthClient auth;

    public DatasetManager(AuthClient auth) {
        this.auth = Objects.requireNonNull(auth, "auth");
    }

    public List<Dataset> all() {
        return Visualization.list(auth, "table").stream().map(j -> new Dataset(auth, j)).toList();
    }

    public Dataset get(String idOrName) {
        return new Dataset(auth, Visualization.read(auth, idOrName, "table"));
    }

    /** Imports {@code source}, waits up to {@code timeout}, and returns the dataset. */
    public Dataset create(ImportSource source, Map<String, String> params, Duration timeout) {
        return create(source, params, timeout, UploadProgress.NONE, job -> { });
    }

    /**
     * @throws CartoException when the import fails (with the server's error code and text) or takes too long
     */
    public Dataset create(ImportSource source, Map<String, String> params, Duration timeout, UploadProgress upload,
                          Consumer<FileImportJob> onUpdate) {
        FileImportJob job = new FileImportJobManager(auth).create(source, params, upload)
                .await(timeout, Duration.ofMillis(500), onUpdate);
        if (!job.success().orElse(false)) {
            throw new CartoException("import " + job.id() + " failed" + job.errorCode().map(c -> " with error " + c).orElse("")
                    + job.errorText().map(t -> ": " + t).orElse(""));
        }
        String visId = job.visualizationId().orElseGet(() -> new TableManager(auth)
                .get(job.tableId().orElseThrow(() -> new CartoException("the import created no table"))).tableVisualizationId());
        return get(visId);
    }

    /**
     * A sync table from {@code url}, re-imported every {@code interval} seconds (at least 900): waits up to
     * {@code timeout} for the first run, as carto-python's {@code DatasetManager.create(url, interval)}.
     *
     * @throws CartoException when the first run fails or takes too long
     */
    public Dataset create(String url, int interval, Duration timeout) {
        SyncTableJob job = new SyncTableJobManager(auth).create(url, interval).await(null, timeout, Duration.ofMillis(500));
        if (!"success".equals(job.state())) {
            throw new CartoException("sync " + job.id() + " failed" + job.errorCode().map(c -> " with error " + c).orElse("")
                    + job.errorMessage().map(t -> ": " + t).orElse(""));
        }
        return get(job.visualizationId().orElseThrow(() -> new CartoException("the sync created no dataset")));
    }
}
