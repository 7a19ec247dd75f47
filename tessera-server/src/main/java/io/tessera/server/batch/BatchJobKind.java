package io.tessera.server.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tessera.server.jobs.Job;
import io.tessera.server.jobs.JobContext;
import io.tessera.server.jobs.JobKind;
import io.tessera.server.jobs.JobResult;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs a Batch SQL job of any of the three shapes (sql-api.md §4.2–4.3), saving each query's status as it
 * goes: a failing query fails the job (later queries of a multiple job stay {@code pending}; later elements
 * of a fallback job become {@code skipped}); fallbacks run with their templates filled in.
 */
final class BatchJobKind implements JobKind {
    static final String NAME = "batch-sql";
    private static final Pattern JOB_ID = Pattern.compile("<%=\\s*job_id\\s*%>");
    private static final Pattern ERROR_MESSAGE = Pattern.compile("<%=\\s*error_message\\s*%>");
    private static final String DONE = "done";
    private static final String FAILED = "failed";
    private static final String SKIPPED = "skipped";
    private static final String RUNNING = "running";
    private static final String CANCELLED = "cancelled";

    private final BatchStatement statement;
    private final long timeoutMs;

    BatchJobKind(BatchStatement statement, long timeoutMs) {
        this.statement = statement;
        this.timeoutMs = timeoutMs;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** CARTO keeps finished jobs for two hours. */
    @Override
    public Optional<Duration> retention() {
        return Optional.of(Duration.ofHours(2));
    }

    @Override
    public JobResult run(JobContext ctx) throws SQLException {
        ObjectNode state = ctx.state().deepCopy();
        JsonNode query = state.get("query");
        return switch (BatchQuery.of(query)) {
            case SIMPLE -> {
                String error = statement.run(ctx, query.asText(), timeoutMs);
                yield error == null ? JobResult.done(state) : JobResult.failed(error, state);
            }
            case MULTIPLE -> runMultiple(ctx, state, (ArrayNode) query);
            case FALLBACK -> runFallback(ctx, state, (ObjectNode) query);
        };
    }

    private JobResult runMultiple(JobContext ctx, ObjectNode state, ArrayNode queries) throws SQLException {
        for (JsonNode q : queries) {
            ObjectNode e = (ObjectNode) q;
            if (ctx.cancelRequested()) {
                break;
            }
            e.put("status", RUNNING);
            ctx.saveState(state);
            String error = statement.run(ctx, e.get("query").asText(), timeoutMs);
            if (error != null && ctx.cancelRequested()) {
                e.put("status", CANCELLED);
                return JobResult.failed(error, state); // stored as cancelled: the cancel wins
            }
            if (error != null) {
                e.put("status", FAILED).put("failed_reason", error);
                return JobResult.failed(error, state);
            }
            e.put("status", DONE);
            ctx.saveState(state);
        }
        return JobResult.done(state);
    }

    private JobResult runFallback(JobContext ctx, ObjectNode state, ObjectNode job) throws SQLException {
        String jobId = ctx.job().id().toString();
        String failure = null;
        boolean cancelled = false;
        for (JsonNode q : job.get("query")) {
            ObjectNode e = (ObjectNode) q;
            if (failure != null || cancelled || ctx.cancelRequested()) {
                cancelled |= failure == null;
                skip(e);
                continue;
            }
            e.put("status", RUNNING).put("started_at", BatchJobJson.time(Instant.now()));
            ctx.saveState(state);
            long limit = e.has("timeout") ? Math.min(e.get("timeout").asLong(), timeoutMs) : timeoutMs;
            String error = statement.run(ctx, e.get("query").asText(), limit);
            e.put("ended_at", BatchJobJson.time(Instant.now()));
            if (error != null && ctx.cancelRequested()) {
                e.put("status", CANCELLED);
                if (e.has("fallback_status")) {
                    e.put("fallback_status", SKIPPED);
                }
                cancelled = true;
                continue;
            }
            if (error == null) {
                e.put("status", DONE);
                runFallbackQuery(ctx, e, "onsuccess", jobId, null);
            } else {
                e.put("status", FAILED).put("failed_reason", error);
                failure = error;
                runFallbackQuery(ctx, e, "onerror", jobId, error);
            }
            ctx.saveState(state);
        }
        if (job.has("fallback_status")) {
            if (cancelled) {
                job.put("fallback_status", SKIPPED);
            } else {
                runFallbackQuery(ctx, job, failure == null ? "onsuccess" : "onerror", jobId, failure);
            }
        }
        return failure == null ? JobResult.done(state) : JobResult.failed(failure, state);
    }

    /** Runs the element's fallback {@code which} if it has one, setting {@code fallback_status}. */
    private void runFallbackQuery(JobContext ctx, ObjectNode e, String which, String jobId, String error) throws SQLException {
        if (!e.has("fallback_status")) {
            return;
        }
        JsonNode sql = e.get(which);
        if (sql == null) {
            e.put("fallback_status", SKIPPED);
            return;
        }
        String text = JOB_ID.matcher(sql.asText()).replaceAll(Matcher.quoteReplacement(jobId));
        if (error != null) {
            text = ERROR_MESSAGE.matcher(text).replaceAll(Matcher.quoteReplacement(error));
        }
        String fallbackError = statement.run(ctx, text, timeoutMs);
        e.put("fallback_status", fallbackError == null ? DONE : FAILED);
    }

    private static void skip(ObjectNode e) {
        e.put("status", SKIPPED);
        if (e.has("fallback_status")) {
            e.put("fallback_status", SKIPPED);
        }
    }

    /** The query that was running when the node stopped failed with the job. */
    @Override
    public JsonNode abandonedState(Job job, String reason) {
        if (job.state() == null || job.state().get("query") == null || job.state().get("query").isTextual()) {
            return job.state();
        }
        ObjectNode state = job.state().deepCopy();
        JsonNode q = state.get("query");
        for (JsonNode e : q.isArray() ? q : q.get("query")) {
            if (RUNNING.equals(e.path("status").asText())) {
                ((ObjectNode) e).put("status", FAILED).put("failed_reason", reason);
            }
        }
        return state;
    }
}
