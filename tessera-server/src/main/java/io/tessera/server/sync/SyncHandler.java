package io.tessera.server.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.webserver.http.ServerResponse;
import io.tessera.server.auth.Caller;
import io.tessera.server.auth.PlatformCallers;
import io.tessera.server.datasets.PlatformErrors;
import io.tessera.server.http.ApiException;
import io.tessera.server.http.ApiRequest;
import io.tessera.server.http.Json;
import io.tessera.server.http.PlatformParams;
import io.tessera.server.imports.UrlGuard;
import io.tessera.server.jobs.Job;
import io.tessera.server.jobs.JobWorkers;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code /api/v1/synchronizations[/:id[/sync_now]]} (platform-api.md §2), master key only. Someone
 * else's sync answers 401 and a missing one 404, both with empty bodies, as CARTO's controllers do.
 */
final class SyncHandler {
    private static final String BAD_INTERVAL = "Invalid interval: Sync interval must be at least 15 minutes";

    private final PlatformCallers callers;
    private final SyncStore store;
    private final JobWorkers workers;
    private final UrlGuard guard;

    SyncHandler(PlatformCallers callers, SyncStore store, JobWorkers workers, UrlGuard guard) {
        this.callers = callers;
        this.store = store;
        this.workers = workers;
        this.guard = guard;
    }

    void list(ApiRequest req, ServerResponse res) throws Exception {
        Caller caller = callers.master(req);
        List<Sync> all = store.list(caller.user().id());
        ArrayNode items = Json.MAPPER.createArrayNode();
        all.forEach(s -> items.add(SyncJson.of(s)));
        ObjectNode body = Json.object();
        body.set("synchronizations", items);
        body.put("total_entries", all.size());
        PlatformParams.sendJson(res, 200, body);
    }

    void show(ApiRequest req, ServerResponse res) throws Exception {
        PlatformParams.sendJson(res, 200, SyncJson.of(owned(req, callers.master(req))));
    }

    void create(ApiRequest req, ServerResponse res) throws Exception {
        Caller caller = callers.master(req);
        JsonNode body = req.jsonBody().filter(JsonNode::isObject)
                .orElseThrow(() -> PlatformErrors.carto(400, "The request body must be a JSON object with url and interval"));
        int interval = interval(body.path("interval"));
        String url = checkedUrl(body.path("url").asText(""));
        Sync s = store.create(new SyncStore.NewSync(caller.user().id(),
                body.hasNonNull("table_name") ? body.get("table_name").asText() : null, url, interval,
                body.path("type_guessing").asBoolean(true), body.path("quoted_fields_guessing").asBoolean(true),
                body.path("content_guessing").asBoolean(false)));
        Job job = store.queue(s.id(), caller.user(), x -> true).orElse(null);
        if (job != null) {
            workers.wake();
        }
        ObjectNode out = Json.object();
        ObjectNode dataImport = out.putObject("data_import");
        dataImport.put("endpoint", "/api/v1/imports");
        dataImport.put("item_queue_id", job == null ? null : job.id().toString());
        out.setAll(SyncJson.of(store.find(s.id()).orElseThrow()));
        PlatformParams.sendJson(res, 200, out);
    }

    /**
     * PUT with a JSON body changes {@code url}/{@code interval}; a body-less PUT (carto-python's
     * {@code force_sync()}, a 500 at CARTO) queues a run at once unless one is already queued or running.
     */
    void update(ApiRequest req, ServerResponse res) throws Exception {
        Caller caller = callers.master(req);
        Sync s = owned(req, caller);
        Optional<JsonNode> body = req.jsonBody().filter(b -> b.isObject() && !b.isEmpty());
        if (body.isPresent()) {
            JsonNode b = body.get();
            int interval = b.has("interval") ? interval(b.get("interval")) : s.interval();
            String url = b.has("url") ? checkedUrl(b.get("url").asText("")) : s.url();
            store.update(s.id(), url, interval);
        } else if (store.queue(s.id(), caller.user(), x -> !x.running()).isPresent()) {
            workers.wake();
        }
        PlatformParams.sendJson(res, 200, SyncJson.of(store.find(s.id()).orElseThrow(() -> PlatformErrors.empty(404))));
    }

    /**
     * {@code PUT …/sync_now}: queued only if the last run ended (or a queue entry is older than 15 min),
     * the last run is over 15 min old, and the user is under 3 running syncs.
     */
    void syncNow(ApiRequest req, ServerResponse res) throws Exception {
        Caller caller = callers.master(req);
        Sync s = owned(req, caller);
        Instant now = Instant.now();
        Duration quarter = Duration.ofSeconds(Sync.MIN_INTERVAL_S);
        boolean enqueued = store.queue(s.id(), caller.user(), x -> {
            boolean idle = x.state().equals("success") || x.state().equals("failure")
                    || (x.state().equals("queued") && x.queuedAt() != null && x.queuedAt().plus(quarter).isBefore(now));
            return idle && (x.ranAt() == null || x.ranAt().plus(quarter).isBefore(now));
        }).isPresent();
        if (enqueued) {
            workers.wake();
        }
        PlatformParams.sendJson(res, 200, Json.object().put("enqueued", enqueued).put("synchronization_id", s.id().toString()));
    }

    void syncing(ApiRequest req, ServerResponse res) throws Exception {
        PlatformParams.sendJson(res, 200, Json.object().put("state", owned(req, callers.master(req)).state()));
    }

    /** The sync stops; its table stays as a normal dataset. A queued run finds the row gone and does nothing. */
    void delete(ApiRequest req, ServerResponse res) throws Exception {
        Sync s = owned(req, callers.master(req));
        store.delete(s.id());
        res.status(io.helidon.http.Status.NO_CONTENT_204).send();
    }

    private Sync owned(ApiRequest req, Caller caller) throws java.sql.SQLException {
        UUID id;
        try {
            id = UUID.fromString(req.pathParam("id"));
        } catch (IllegalArgumentException e) {
            throw PlatformErrors.empty(404);
        }
        Sync s = store.find(id).orElseThrow(() -> PlatformErrors.empty(404));
        if (!s.userId().equals(caller.user().id())) {
            throw PlatformErrors.empty(401);
        }
        return s;
    }

    /** {@code interval} as a number or a numeric string, at least 900 s. */
    private static int interval(JsonNode v) {
        long n;
        try {
            n = v.isNumber() ? v.asLong() : Long.parseLong(v.asText("").trim());
        } catch (NumberFormatException e) {
            throw badInterval();
        }
        if (n < Sync.MIN_INTERVAL_S || n > Integer.MAX_VALUE) {
            throw badInterval();
        }
        return (int) n;
    }

    private static ApiException badInterval() {
        return new ApiException(400, Json.object().put("errors", BAD_INTERVAL), BAD_INTERVAL);
    }

    private String checkedUrl(String url) {
        try {
            guard.check(url);
            return url;
        } catch (UrlGuard.Refused r) {
            String msg = "Invalid URL, cannot connect dataset: " + url;
            throw new ApiException(400, Json.object().put("errors", msg), msg);
        }
    }
}
