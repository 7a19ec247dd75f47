package io.tessera.server.sync;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tessera.server.http.Json;
import java.time.Instant;
import java.util.UUID;

/** The {@code <sync>} object of platform-api.md §2: the record's attributes in CARTO's order plus {@code from_external_source}. */
final class SyncJson {
    private SyncJson() {
    }

    static ObjectNode of(Sync s) {
        ObjectNode o = Json.object();
        o.put("id", s.id().toString());
        o.put("name", s.name());
        o.put("interval", s.interval());
        o.put("url", s.url());
        o.put("state", s.state());
        o.put("user_id", s.userId().toString());
        time(o, "created_at", s.createdAt());
        time(o, "updated_at", s.updatedAt());
        time(o, "run_at", s.runAt());
        time(o, "ran_at", s.ranAt());
        time(o, "modified_at", s.modifiedAt());
        o.put("retried_times", s.retriedTimes());
        uuid(o, "log_id", s.logId());
        if (s.errorCode() == null) {
            o.putNull("error_code");
        } else {
            o.put("error_code", s.errorCode());
        }
        o.put("error_message", s.errorMessage());
        o.putNull("etag");
        o.put("checksum", s.checksum());
        o.putNull("service_name");
        o.put("service_item_id", s.url());
        o.put("type_guessing", s.typeGuessing());
        o.put("quoted_fields_guessing", s.quotedFieldsGuessing());
        o.put("content_guessing", s.contentGuessing());
        uuid(o, "visualization_id", s.visualizationId());
        o.put("from_external_source", false);
        return o;
    }

    private static void time(ObjectNode o, String key, Instant t) {
        o.put(key, t == null ? null : t.toString());
    }

    private static void uuid(ObjectNode o, String key, UUID id) {
        o.put(key, id == null ? null : id.toString());
    }
}
