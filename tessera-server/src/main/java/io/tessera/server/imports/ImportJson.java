package io.tessera.server.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tessera.server.http.Json;
import io.tessera.server.jobs.Job;
import io.tessera.server.jobs.JobStatus;
import io.tessera.server.jobs.JobStore;

/**
 * {@code GET /api/v1/imports/:id} as {@code DataImportPresenter#api_public_values} writes it
 * (platform-api.md §1.3): the exact keys in their order, {@code success} only in final states,
 * {@code get_error_text} from the code table. Tessera adds {@code rows} (rows loaded so far) at the end,
 * so a long import shows progress.
 */
public final class ImportJson {
    private ImportJson() {
    }

    /** The Import API state of a job: the mechanism's status refined by the kind's own state. */
    public static String state(Job job) {
        JsonNode s = job.state() == null ? Json.object() : job.state();
        JobStatus status = JobStore.shownStatus(job);
        return switch (status) {
            case PENDING -> "pending";
            case RUNNING -> s.path("state").asText("uploading").equals("pending") ? "uploading" : s.path("state").asText("uploading");
            case DONE -> "complete";
            case FAILED, CANCELLED -> "failure";
        };
    }

    public static ObjectNode of(Job job) {
        JsonNode p = job.payload();
        JsonNode s = job.state() == null ? Json.object() : job.state();
        String state = state(job);
        boolean terminal = state.equals("complete") || state.equals("failure");
        Integer code = null;
        if (s.hasNonNull("error_code")) {
            code = s.get("error_code").asInt();
        } else if (state.equals("failure")) {
            code = job.status() == JobStatus.CANCELLED ? ImportErrorCodes.UNKNOWN : ImportErrorCodes.STUCK;
        }
        ImportOptions o = ImportJobKind.options(p);
        ObjectNode out = Json.object();
        out.put("id", job.id().toString());
        out.put("user_id", job.userId().toString());
        putText(out, "table_id", s.path("table_id"));
        out.put("data_type", p.path("data_type").asText("file"));
        putText(out, "table_name", s.path("table_name"));
        out.put("state", state);
        if (code == null) {
            out.putNull("error_code");
        } else {
            out.put("error_code", code);
        }
        out.put("queue_id", job.id().toString());
        if (s.has("tables_created_count")) {
            out.put("tables_created_count", s.get("tables_created_count").asInt());
        } else {
            out.putNull("tables_created_count");
        }
        out.putNull("synchronization_id");
        out.put("type_guessing", o.typeGuessing());
        out.put("quoted_fields_guessing", o.quotedFieldsGuessing());
        out.put("content_guessing", o.contentGuessing());
        out.put("create_visualization", o.createVis());
        out.putNull("visualization_id");
        putText(out, "user_defined_limits", p.path("user_defined_limits"));
        if (code == null) {
            out.putNull("get_error_text");
        } else {
            ImportErrorCodes.Text t = ImportErrorCodes.text(code);
            ObjectNode e = out.putObject("get_error_text");
            e.put("title", t.title());
            e.put("what_about", t.whatAbout());
            e.put("source", t.source());
        }
        out.put("display_name", p.path("display_name").asText(job.id().toString()));
        if (terminal) {
            out.put("success", state.equals("complete"));
        }
        putText(out, "original_url", p.path("url"));
        if (s.has("warnings")) {
            out.set("warnings", s.get("warnings"));
        } else {
            out.putNull("warnings");
        }
        out.put("is_raster", false);
        if (s.has("http_response_code")) {
            out.put("http_response_code", s.get("http_response_code").asInt());
            out.put("http_response_code_message", "HTTP " + s.get("http_response_code").asInt());
        }
        if (state.equals("complete")) {
            out.put("any_table_raster", false);
            out.putNull("derived_visualization_id");
        }
        out.put("rows", s.path("rows").asLong(0));
        return out;
    }

    private static void putText(ObjectNode out, String key, JsonNode v) {
        if (v == null || v.isMissingNode() || v.isNull()) {
            out.putNull(key);
        } else {
            out.put(key, v.asText());
        }
    }
}
