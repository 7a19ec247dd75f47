package io.tessera.server.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import io.tessera.server.auth.Caller;
import io.tessera.server.auth.RequestAuth;
import io.tessera.server.auth.User;
import io.tessera.server.http.ApiRequest;
import io.tessera.server.http.Json;
import io.tessera.server.jobs.Job;
import io.tessera.server.jobs.JobException;
import io.tessera.server.jobs.JobStore;
import io.tessera.server.jobs.JobWorkers;
import io.tessera.server.sql.Cors;
import io.tessera.server.sql.SqlApiErrors;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The Batch SQL API (sql-api.md §4): {@code POST /sql/job} (201), {@code GET|DELETE /sql/job/:id}, and the
 * Tessera extensions {@code PUT /sql/job/:id} (new query for a job not started yet) and {@code GET /sql/job}
 * (the user's recent jobs, newest first). Master key only. Body parameters win over the query string.
 */
final class BatchHandler {
    private static final int LIST_LIMIT = 100;

    private final RequestAuth auth;
    private final JobWorkers workers;
    private final int maxPayload;
    private final int maxQueued;

    BatchHandler(RequestAuth auth, JobWorkers workers, int maxPayload, int maxQueued) {
        this.auth = auth;
        this.workers = workers;
        this.maxPayload = maxPayload;
        this.maxQueued = maxQueued;
    }

    void create(ApiRequest req, ServerResponse res) throws SQLException {
        Caller caller = master(req, res, true);
        JsonNode stored = normalized(req);
        ObjectNode payload = Json.object().set("query", stored);
        try {
            Job job = store().submit(new JobStore.NewJob(BatchJobKind.NAME, caller.user().id(), lane(caller.user()),
                    caller.key().dbRole(), payload, payload, maxQueued));
            workers.wake();
            send(res, 201, BatchJobJson.render(job, caller.user().username()));
        } catch (JobException.QueueFull e) {
            throw BatchErrors.from(e);
        }
    }

    void read(ApiRequest req, ServerResponse res) throws SQLException {
        Caller caller = master(req, res, false);
        Job job = owned(caller, req.pathParam("id"));
        send(res, 200, BatchJobJson.render(job, caller.user().username()));
    }

    void list(ApiRequest req, ServerResponse res) throws SQLException {
        Caller caller = master(req, res, false);
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (Job job : store().list(caller.user().id(), BatchJobKind.NAME, LIST_LIMIT)) {
            out.add(BatchJobJson.render(job, caller.user().username()));
        }
        send(res, 200, out);
    }

    void update(ApiRequest req, ServerResponse res) throws SQLException {
        Caller caller = master(req, res, true);
        Job job = owned(caller, req.pathParam("id"));
        JsonNode stored = normalized(req);
        ObjectNode payload = Json.object().set("query", stored);
        try {
            Job updated = store().updatePending(job.id(), payload, payload);
            send(res, 200, BatchJobJson.render(updated, caller.user().username()));
        } catch (JobException.IllegalTransition e) {
            throw BatchErrors.badRequest(BatchErrors.NOT_PENDING);
        } catch (JobException e) {
            throw BatchErrors.from(e);
        }
    }

    void cancel(ApiRequest req, ServerResponse res) throws SQLException {
        Caller caller = master(req, res, false);
        Job job = owned(caller, req.pathParam("id"));
        try {
            send(res, 200, BatchJobJson.render(store().cancel(job.id()), caller.user().username()));
        } catch (JobException e) {
            throw BatchErrors.from(e);
        }
    }

    void options(ApiRequest req, ServerResponse res) {
        Cors.apply(res);
        res.status(Status.OK_200).send();
    }

    /** User (404), then the payload limit (before auth, as CARTO), then the key, which must be master. */
    private Caller master(ApiRequest req, ServerResponse res, boolean checkPayload) {
        Cors.apply(res);
        String username = auth.username(req, SqlApiErrors.INSTANCE);
        res.header("Carto-User", username);
        User user = auth.user(req, SqlApiErrors.INSTANCE);
        res.header("Carto-User-Id", user.id().toString());
        if (checkPayload) {
            int size = payloadSize(req);
            if (size > maxPayload) {
                throw BatchErrors.payloadTooLarge(size, maxPayload);
            }
        }
        Caller caller = auth.resolve(req, SqlApiErrors.INSTANCE, req::bodyParam);
        res.header(HeaderNames.VARY, "Authorization");
        if (!caller.key().isMaster()) {
            throw BatchErrors.permissionDenied();
        }
        return caller;
    }

    /** The body's size as CARTO measures it: the length of the parsed body serialised back to JSON. */
    private static int payloadSize(ApiRequest req) {
        return req.jsonBody().map(JsonNode::toString)
                .orElseGet(() -> Json.MAPPER.valueToTree(req.bodyParams()).toString())
                .getBytes(StandardCharsets.UTF_8).length;
    }

    private static JsonNode normalized(ApiRequest req) {
        try {
            return BatchQuery.normalize(queryParam(req));
        } catch (BatchQuery.Invalid e) {
            throw BatchErrors.badRequest(e.getMessage());
        }
    }

    private static JsonNode queryParam(ApiRequest req) {
        JsonNode json = req.jsonBody().map(b -> b.get("query")).orElse(null);
        if (json != null) {
            return json;
        }
        for (Map<String, List<String>> params : List.of(req.bodyParams(), req.query())) {
            List<String> v = params.get("query");
            if (v != null && !v.isEmpty()) {
                if (v.size() == 1) {
                    return TextNode.valueOf(v.get(0));
                }
                ArrayNode a = Json.MAPPER.createArrayNode();
                v.forEach(a::add);
                return a;
            }
        }
        return MissingNode.getInstance();
    }

    private Job owned(Caller caller, String id) throws SQLException {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw BatchErrors.badRequest("Job with id " + id + " not found");
        }
        return store().find(uuid)
                .filter(j -> j.userId().equals(caller.user().id()) && j.kind().equals(BatchJobKind.NAME))
                .orElseThrow(() -> BatchErrors.badRequest("Job with id " + id + " not found"));
    }

    private static String lane(User user) {
        return "batch:" + user.id();
    }

    private JobStore store() {
        return workers.store();
    }

    private static void send(ServerResponse res, int status, JsonNode body) {
        res.status(Status.create(status));
        res.header(HeaderNames.CONTENT_TYPE, "application/json; charset=utf-8");
        res.send(body.toString().getBytes(StandardCharsets.UTF_8));
    }
}
