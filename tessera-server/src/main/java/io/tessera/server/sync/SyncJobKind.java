package io.tessera.server.sync;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.server.auth.User;
import io.tessera.server.datasets.Dataset;
import io.tessera.server.datasets.DatasetStore;
import io.tessera.server.datasets.Privacy;
import io.tessera.server.db.Platform;
import io.tessera.server.http.Json;
import io.tessera.server.imports.ImportErrorCodes;
import io.tessera.server.imports.ImportFailure;
import io.tessera.server.imports.ImportJobKind;
import io.tessera.server.imports.ImportOptions;
import io.tessera.server.imports.ImportPipeline;
import io.tessera.server.imports.ImportSettings;
import io.tessera.server.imports.Publisher;
import io.tessera.server.imports.UrlFetcher;
import io.tessera.server.imports.UrlGuard;
import io.tessera.server.jobs.Job;
import io.tessera.server.jobs.JobConnection;
import io.tessera.server.jobs.JobContext;
import io.tessera.server.jobs.JobKind;
import io.tessera.server.jobs.JobResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of a sync table (platform-api.md §2): download the URL through the SSRF-guarded fetcher, and
 * unless its SHA-256 equals the last loaded content's, import it into the sync's table with
 * {@code overwrite} (the first run names the table). The dataset keeps its id (the registry follows the
 * table name) and its privacy (read before the reload and applied again). The outcome goes to the sync
 * row; the job itself ends done or failed accordingly.
 */
final class SyncJobKind implements JobKind {
    static final String NAME = "sync";
    /** CARTO's code for a sync failure the importer gave no code for. */
    static final int SYNC_UNKNOWN = 9999;
    private static final Logger LOG = LoggerFactory.getLogger(SyncJobKind.class);

    private final Platform platform;
    private final SyncStore store;
    private final ImportPipeline pipeline;
    private final UrlFetcher fetcher;
    private final Path workDir;

    SyncJobKind(Platform platform, SyncStore store, ImportSettings settings, UrlGuard guard) {
        this.platform = platform;
        this.store = store;
        this.pipeline = new ImportPipeline(platform, settings);
        this.fetcher = new UrlFetcher(guard, settings.maxUploadBytes(), settings.downloadTimeout());
        this.workDir = settings.workDir();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public JobResult run(JobContext ctx) throws Exception {
        UUID id = UUID.fromString(ctx.payload().path("sync_id").asText());
        Optional<Sync> found = store.find(id);
        if (found.isEmpty() || !store.markSyncing(id)) {
            return JobResult.done(Json.object().put("state", "deleted")); // deleted while queued
        }
        Sync sync = found.get();
        Path dir = workDir.resolve("sync-" + ctx.job().id());
        try {
            User user = platform.accounts().findUserUncached(ctx.payload().path("username").asText())
                    .orElseThrow(() -> new ImportFailure(ImportErrorCodes.UNKNOWN, "the user no longer exists"));
            Path file = fetcher.fetch(sync.url(), Files.createDirectories(dir.resolve("download"))).file();
            String checksum = sha256(file);
            try (JobConnection c = ctx.connect()) {
                Optional<Dataset> existing = dataset(c, sync);
                if (existing.isPresent() && checksum.equals(sync.checksum())) {
                    store.succeeded(id, existing.get().tableName(), null, checksum, false);
                    return JobResult.done(Json.object().put("state", "success").put("unchanged", true));
                }
                Privacy privacy = existing.map(Dataset::privacy).orElse(Privacy.PRIVATE);
                String table = existing.map(Dataset::tableName).orElse(sync.name());
                ImportOptions options = new ImportOptions(sync.typeGuessing(), sync.quotedFieldsGuessing(),
                        sync.contentGuessing(), false, privacy, table, table == null ? null : "overwrite");
                ImportPipeline.Result r = pipeline.run(user, c.jdbc(), file, ctx.job().id().toString(), options, QUIET);
                if (r.tables().isEmpty()) {
                    throw new ImportFailure(ImportErrorCodes.UNSUPPORTED, "the download produced no table");
                }
                Publisher.Published t = r.tables().get(0);
                store.succeeded(id, t.name(), t.visualizationId(), checksum, true);
                return JobResult.done(Json.object().put("state", "success").put("table_name", t.name())
                        .put("rows", t.rows()));
            }
        } catch (ImportFailure f) {
            return failed(ctx, id, f.code(), f.getMessage());
        } catch (Exception e) {
            if (ctx.stopReason() != null) {
                throw e; // abandonedState records the failure
            }
            return failed(ctx, id, SYNC_UNKNOWN, e.getMessage());
        } finally {
            ImportJobKind.deleteTree(dir);
        }
    }

    /** The sync's dataset: by its visualization id (so a renamed table is followed), else by the sync's name. */
    private static Optional<Dataset> dataset(JobConnection c, Sync sync) throws java.sql.SQLException {
        DatasetStore.reconcile(c.jdbc()); // a table renamed through SQL keeps its row under the new name
        if (sync.visualizationId() != null) {
            Optional<Dataset> byId = DatasetStore.find(c.jdbc(), sync.visualizationId().toString());
            if (byId.isPresent()) {
                return byId;
            }
        }
        return sync.name() == null ? Optional.empty()
                : DatasetStore.find(c.jdbc(), sync.name()).filter(d -> d.tableName().equals(sync.name()));
    }

    private JobResult failed(JobContext ctx, UUID id, int code, String reason) throws java.sql.SQLException {
        LOG.info("sync {} (job {}) failed with {}: {}", id, ctx.job().id(), code, reason);
        store.failed(id, code, errorMessage(code));
        return JobResult.failed(reason, Json.object().put("state", "failure").put("error_code", code));
    }

    /** A sync's {@code error_message}: {@code "<title> <what_about>"} of the import code (Synchronization::Member). */
    private static String errorMessage(int code) {
        ImportErrorCodes.Text text = ImportErrorCodes.text(code);
        return text.title() + " " + text.whatAbout();
    }

    @Override
    public JsonNode abandonedState(Job job, String reason) {
        try {
            store.failed(UUID.fromString(job.payload().path("sync_id").asText()), ImportErrorCodes.STUCK,
                    errorMessage(ImportErrorCodes.STUCK));
        } catch (Exception e) {
            LOG.warn("sync job {}: cannot record its abandonment: {}", job.id(), e.getMessage());
        }
        return Json.object().put("state", "failure").put("error_code", ImportErrorCodes.STUCK);
    }

    @Override
    public Optional<Duration> retention() {
        return Optional.of(Duration.ofDays(7)); // the sync row keeps the outcome; runs are only a log
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final ImportPipeline.Listener QUIET = new ImportPipeline.Listener() {
        @Override
        public void state(String state) {
        }

        @Override
        public void rows(long rows) {
        }
    };
}
