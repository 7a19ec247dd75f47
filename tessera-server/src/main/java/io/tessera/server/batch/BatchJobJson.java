package io.tessera.server.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tessera.server.http.Json;
import io.tessera.server.jobs.Job;
import io.tessera.server.jobs.JobStore;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** A Batch job as CARTO shows it (sql-api.md §4.1): the stored fields minus connection details. */
final class BatchJobJson {
    // JavaScript's Date.toISOString(): always milliseconds, always Z.
    private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private BatchJobJson() {
    }

    static String time(Instant t) {
        return ISO.format(t);
    }

    static ObjectNode render(Job job, String username) {
        ObjectNode o = Json.object();
        o.put("job_id", job.id().toString());
        o.put("user", username);
        JsonNode state = job.state() != null && job.state().has("query") ? job.state() : job.payload();
        o.set("query", state.get("query"));
        o.put("status", JobStore.shownStatus(job).wire());
        if (job.failedReason() != null) {
            o.put("failed_reason", job.failedReason());
        }
        JsonNode query = state.get("query");
        if (query.isObject() && query.has("fallback_status")) {
            o.put("fallback_status", query.get("fallback_status").asText());
        }
        o.put("created_at", time(job.createdAt()));
        o.put("updated_at", time(job.updatedAt()));
        return o;
    }
}
