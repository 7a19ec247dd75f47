package io.tessera.server.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tessera.server.auth.User;
import io.tessera.server.datasets.Privacy;
import io.tessera.server.db.Platform;
import io.tessera.server.http.Json;
import io.tessera.server.jobs.Job;
import io.tessera.server.jobs.JobConnection;
import io.tessera.server.jobs.JobContext;
import io.tessera.server.jobs.JobKind;
import io.tessera.server.jobs.JobResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * File and URL imports as a kind of the durable jobs mechanism: the payload says where the data is and
 * the creation options; the state carries the Import API's state machine ({@code uploading → unpacking →
 * importing → guessing}), the error code and the published tables. A job whose node stopped ends in
 * {@code failure} with 6671 (stuck import), never re-run. The import's work directory is removed when
 * the run ends, whatever the outcome.
 */
public final class ImportJobKind implements JobKind {
    public static final String NAME = "import";
    private static final Logger LOG = LoggerFactory.getLogger(ImportJobKind.class);
    private static final long SAVE_EVERY_MS = 1000;

    private final Platform platform;
    private final ImportPipeline pipeline;
    private final UrlFetcher fetcher;

    public ImportJobKind(Platform platform, ImportSettings settings, UrlGuard guard) {
        this.platform = platform;
        this.pipeline = new ImportPipeline(platform, settings);
        this.fetcher = new UrlFetcher(guard, settings.maxUploadBytes(), settings.downloadTimeout());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public JobResult run(JobContext ctx) throws Exception {
        JsonNode p = ctx.payload();
        ObjectNode state = ctx.state() != null && ctx.state().isObject() ? ((ObjectNode) ctx.state()).deepCopy() : Json.object();
        Path dir = Path.of(p.path("work_dir").asText());
        try {
            User user = platform.accounts().findUserUncached(p.path("username").asText())
                    .orElseThrow(() -> new ImportFailure(ImportErrorCodes.UNKNOWN, "the user no longer exists"));
            Path file = source(ctx, p, state, dir);
            ImportPipeline.Result r;
            try (JobConnection c = ctx.connect()) {
                r = pipeline.run(user, c.jdbc(), file, ctx.job().id().toString(), options(p), new Progress(ctx, state));
            }
            if (r.tables().isEmpty()) {
                int code = r.skipped() > 0 ? 1022 : ImportErrorCodes.UNSUPPORTED;
                if (code == 1022) {
                    state.put("state", "complete").put("error_code", 1022).put("tables_created_count", 0);
                    return JobResult.done(state);
                }
                throw new ImportFailure(code, "the import produced no tables");
            }
            Publisher.Published first = r.tables().get(0);
            state.put("state", "complete");
            state.put("table_name", first.name());
            state.put("table_id", first.tableId().toString());
            state.put("tables_created_count", r.tables().size());
            state.put("rows", r.tables().stream().mapToLong(Publisher.Published::rows).sum());
            ObjectNode warnings = Json.object();
            if (r.invalidGeometries() > 0) {
                warnings.put("invalid_geometries", r.invalidGeometries());
            }
            if (r.raggedRows() > 0) {
                warnings.put("ragged_rows", r.raggedRows());
            }
            if (!warnings.isEmpty()) {
                state.set("warnings", warnings);
            }
            return JobResult.done(state);
        } catch (ImportFailure f) {
            LOG.info("import {} failed with {}: {}", ctx.job().id(), f.code(), f.getMessage());
            state.put("state", "failure").put("error_code", f.code());
            if (f instanceof UrlFetcher.HttpStatusFailure h) {
                state.put("http_response_code", h.status());
            }
            return JobResult.failed(f.getMessage(), state);
        } finally {
            deleteTree(dir);
        }
    }

    /** The file to import: the upload, or the URL downloaded now ({@code uploading}). */
    private Path source(JobContext ctx, JsonNode p, ObjectNode state, Path dir) throws Exception {
        String type = p.path("data_type").asText("file");
        if (type.equals("url")) {
            state.put("state", "uploading");
            ctx.saveState(state);
            Path downloads = Files.createDirectories(dir.resolve("download"));
            UrlFetcher.Fetched f = fetcher.fetch(p.path("url").asText(), downloads);
            return f.file();
        }
        String file = p.path("file").asText("");
        if (file.isEmpty() || !Files.isRegularFile(Path.of(file))) {
            throw new ImportFailure(ImportErrorCodes.UNSUPPORTED, "no file was uploaded");
        }
        return Path.of(file);
    }

    static ImportOptions options(JsonNode p) {
        JsonNode o = p.path("options");
        return new ImportOptions(o.path("type_guessing").asBoolean(true), o.path("quoted_fields_guessing").asBoolean(true),
                o.path("content_guessing").asBoolean(false), o.path("create_vis").asBoolean(false),
                Privacy.parse(o.path("privacy").asText("private")).orElse(Privacy.PRIVATE),
                o.hasNonNull("table_name") ? o.get("table_name").asText() : null,
                o.hasNonNull("collision_strategy") ? o.get("collision_strategy").asText() : null);
    }

    @Override
    public String failureReason(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    @Override
    public JsonNode abandonedState(Job job, String reason) {
        ObjectNode s = job.state() != null && job.state().isObject() ? ((ObjectNode) job.state()).deepCopy() : Json.object();
        return s.put("state", "failure").put("error_code", ImportErrorCodes.STUCK);
    }

    public static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    LOG.debug("cannot delete {}", p);
                }
            });
        } catch (IOException e) {
            LOG.debug("cannot clean {}", dir);
        }
    }

    /** Saves the state machine and row progress into the job (fenced), at most once a second for rows. */
    private static final class Progress implements ImportPipeline.Listener {
        private final JobContext ctx;
        private final ObjectNode state;
        private long lastSave;
        private volatile Process current;
        private volatile boolean stopped;

        Progress(JobContext ctx, ObjectNode state) {
            this.ctx = ctx;
            this.state = state;
            // SQL cancel reaches the COPY; an ogr2ogr process has to be stopped by hand.
            ctx.onCancel(() -> {
                stopped = true;
                Process p = current;
                if (p != null) {
                    p.destroyForcibly();
                }
            });
        }

        @Override
        public void process(Process p) {
            current = p;
            if (stopped) {
                p.destroyForcibly();
            }
        }

        @Override
        public void state(String s) {
            state.put("state", s);
            save();
        }

        @Override
        public void rows(long rows) {
            state.put("rows", rows);
            if (System.currentTimeMillis() - lastSave >= SAVE_EVERY_MS) {
                save();
            }
        }

        private void save() {
            lastSave = System.currentTimeMillis();
            try {
                ctx.saveState(state);
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException("cannot save import progress: " + e.getMessage(), e);
            }
        }
    }
}
