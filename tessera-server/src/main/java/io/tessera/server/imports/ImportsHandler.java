package io.tessera.server.imports;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.webserver.http.ServerResponse;
import io.tessera.server.auth.Caller;
import io.tessera.server.auth.PlatformCallers;
import io.tessera.server.datasets.PlatformErrors;
import io.tessera.server.datasets.Privacy;
import io.tessera.server.http.ApiRequest;
import io.tessera.server.http.Json;
import io.tessera.server.http.PlatformParams;
import io.tessera.server.jobs.Job;
import io.tessera.server.jobs.JobException;
import io.tessera.server.jobs.JobStore;
import io.tessera.server.jobs.JobWorkers;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * {@code POST /api/v1/imports} (multipart {@code file}/{@code filename}, a raw body with
 * {@code ?filename=}, or {@code url} in the query, form or JSON), {@code GET /api/v1/imports} and
 * {@code GET /api/v1/imports/:id} (platform-api.md §1). The POST stores the upload (refusing it with 413
 * past the size limit before it is kept), checks a URL against the SSRF rules, and submits an import job.
 */
public final class ImportsHandler {
    private static final Set<String> FILE_FIELDS = Set.of("file", "filename");
    private static final int MAX_FIELD = 64 * 1024;
    private static final String SLOTS_FULL = "We're sorry but you're already using your allowed import slots";
    private static final long MULTIPART_SLACK = 64 * 1024;

    private final PlatformCallers callers;
    private final JobWorkers workers;
    private final ImportSettings settings;
    private final UrlGuard guard;

    public ImportsHandler(PlatformCallers callers, JobWorkers workers, ImportSettings settings, UrlGuard guard) {
        this.callers = callers;
        this.workers = workers;
        this.settings = settings;
        this.guard = guard;
    }

    public void create(ApiRequest req, ServerResponse res) throws Exception {
        Caller caller = callers.master(req);
        // Before the upload is read: every unfinished import keeps its file on disk.
        if (workers.store().unfinished(ImportJobKind.NAME, caller.user().id()) >= settings.maxQueued()) {
            throw slotsFull();
        }
        Path dir = settings.workDir().resolve(UUID.randomUUID().toString());
        boolean submitted = false;
        try {
            Map<String, String> params = new HashMap<>();
            Path file = readBody(req, dir, params);
            req.query().forEach((k, v) -> {
                if (!v.isEmpty()) {
                    params.put(k, v.get(v.size() - 1)); // query over body (platform-api.md §0)
                }
            });
            ObjectNode payload = Json.object();
            payload.put("username", caller.user().username());
            payload.put("work_dir", dir.toString());
            String url = params.get("url");
            if (url != null && !url.isBlank()) {
                try {
                    guard.check(url);
                } catch (UrlGuard.Refused r) {
                    throw ImportErrors.invalidUrl(url);
                }
                payload.put("data_type", "url");
                payload.put("url", url);
                payload.put("display_name", displayName(url));
            } else {
                payload.put("data_type", "file");
                if (file != null) {
                    payload.put("file", file.toString());
                    payload.put("display_name", file.getFileName().toString());
                }
            }
            payload.set("options", options(params));
            if (params.containsKey("user_defined_limits")) {
                payload.put("user_defined_limits", params.get("user_defined_limits"));
            }
            Job job = workers.store().submit(new JobStore.NewJob(ImportJobKind.NAME, caller.user().id(),
                    "import:" + dir.getFileName(), caller.user().ownerRole(), payload, Json.object().put("state", "pending"), 0));
            submitted = true;
            workers.wake();
            PlatformParams.sendJson(res, 200, Json.object().put("item_queue_id", job.id().toString()).put("success", true));
        } catch (JobException.QueueFull e) {
            throw slotsFull();
        } finally {
            if (!submitted) {
                ImportJobKind.deleteTree(dir);
            }
        }
    }

    public void list(ApiRequest req, ServerResponse res) throws Exception {
        Caller caller = callers.master(req);
        Instant since = Instant.now().minus(Duration.ofHours(24));
        ArrayNode ids = Json.MAPPER.createArrayNode();
        for (Job j : workers.store().list(caller.user().id(), ImportJobKind.NAME, 1000)) {
            String state = ImportJson.state(j);
            if (!state.equals("complete") && !state.equals("failure") && j.createdAt().isAfter(since)) {
                ids.add(j.id().toString());
            }
        }
        ObjectNode body = Json.object();
        body.set("imports", ids);
        body.put("success", true);
        PlatformParams.sendJson(res, 200, body);
    }

    public void show(ApiRequest req, ServerResponse res) throws Exception {
        Caller caller = callers.master(req);
        UUID id;
        try {
            id = UUID.fromString(req.pathParam("id"));
        } catch (IllegalArgumentException e) {
            throw PlatformErrors.empty(404);
        }
        Job job = workers.store().find(id).filter(j -> j.kind().equals(ImportJobKind.NAME))
                .filter(j -> j.userId().equals(caller.user().id())).orElseThrow(() -> PlatformErrors.empty(404));
        PlatformParams.sendJson(res, 200, ImportJson.of(job));
    }

    /** Stores the upload (multipart or raw body) and collects body fields; null when no file came. */
    private Path readBody(ApiRequest req, Path dir, Map<String, String> params) throws IOException {
        String contentType = req.header("Content-Type").orElse("");
        long length = req.header("Content-Length").map(ImportsHandler::parseLong).orElse(-1L);
        Optional<String> boundary = MultipartReader.boundary(contentType);
        if (boundary.isPresent()) {
            if (length > settings.maxUploadBytes() + MULTIPART_SLACK) {
                throw ImportErrors.tooBig(settings.maxUploadBytes());
            }
            MultipartReader mr = new MultipartReader(req.raw().content().inputStream(), boundary.get());
            Path file = null;
            Optional<MultipartReader.Part> part;
            while ((part = mr.next()).isPresent()) {
                MultipartReader.Part p = part.get();
                if (FILE_FIELDS.contains(p.name()) && p.filename().isPresent() && file == null) {
                    file = store(p.body(), dir, p.filename().get());
                } else {
                    byte[] v = p.body().readNBytes(MAX_FIELD);
                    params.putIfAbsent(p.name(), new String(v, StandardCharsets.UTF_8));
                }
            }
            return file;
        }
        String type = contentType.toLowerCase(java.util.Locale.ROOT);
        if (type.startsWith("application/json") || type.startsWith("application/x-www-form-urlencoded")) {
            req.bodyParams().forEach((k, v) -> {
                if (!v.isEmpty()) {
                    params.put(k, v.get(v.size() - 1));
                }
            });
            return null;
        }
        Optional<String> filename = req.queryParam("filename");
        if (filename.isPresent() && req.raw().content().hasEntity()) {
            if (length > settings.maxUploadBytes()) {
                throw ImportErrors.tooBig(settings.maxUploadBytes());
            }
            return store(req.raw().content().inputStream(), dir, filename.get());
        }
        return null;
    }

    private Path store(InputStream in, Path dir, String filename) throws IOException {
        Path upload = Files.createDirectories(dir.resolve("upload"));
        String name = URLDecoder.decode(filename, StandardCharsets.UTF_8).replaceAll(".*[/\\\\]", "")
                .replace(' ', '_').replaceAll("[^A-Za-z0-9._-]", "_");
        Path file = upload.resolve(name.isEmpty() || name.startsWith(".") ? "upload" + name : name);
        byte[] buf = new byte[1 << 16];
        long total = 0;
        try (OutputStream out = Files.newOutputStream(file)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                total += n;
                if (total > settings.maxUploadBytes()) {
                    throw ImportErrors.tooBig(settings.maxUploadBytes());
                }
                out.write(buf, 0, n);
            }
        }
        return file;
    }

    private static ObjectNode options(Map<String, String> params) {
        ObjectNode o = Json.object();
        o.put("type_guessing", !isFalse(params.get("type_guessing")));
        o.put("quoted_fields_guessing", !isFalse(params.get("quoted_fields_guessing")));
        o.put("content_guessing", isTrue(params.get("content_guessing")));
        o.put("create_vis", isTrue(params.get("create_vis")));
        String privacy = params.get("privacy");
        if (privacy != null && !privacy.isBlank()) {
            o.put("privacy", Privacy.parse(privacy).orElseThrow(() -> ImportErrors.unknownPrivacy(privacy)).db());
        }
        String strategy = params.get("collision_strategy");
        if (strategy != null && !strategy.isBlank()) {
            if (!strategy.equals("skip") && !strategy.equals("overwrite")) {
                throw ImportErrors.imports(400, "Validation failed: Collision strategy " + strategy + " is not valid");
            }
            o.put("collision_strategy", strategy);
        }
        String table = params.get("table_name");
        if (table != null && !table.isBlank()) {
            o.put("table_name", table);
        }
        return o;
    }

    private static boolean isFalse(String v) {
        return v != null && v.trim().equalsIgnoreCase("false");
    }

    private static boolean isTrue(String v) {
        return v != null && v.trim().equalsIgnoreCase("true");
    }

    private static String displayName(String url) {
        String path = url.replaceAll("[?#].*$", "");
        String last = path.substring(path.lastIndexOf('/') + 1);
        return URLDecoder.decode(last.isEmpty() ? url : last, StandardCharsets.UTF_8);
    }

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static RuntimeException slotsFull() {
        return ImportErrors.imports(429, SLOTS_FULL);
    }
}
