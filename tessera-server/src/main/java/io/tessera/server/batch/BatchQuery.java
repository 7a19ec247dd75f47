package io.tessera.server.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tessera.server.http.Json;

/**
 * The three shapes of a Batch job's {@code query} (sql-api.md §4.2), checked in CARTO's order: a string
 * (simple), an array of strings or {@code {query}} objects (multiple; their fallbacks are ignored), an
 * object with a {@code query} array of elements with optional {@code onsuccess}/{@code onerror}/{@code
 * timeout} plus job-level fallbacks (fallback). Normalised here into the stored form, statuses included.
 */
enum BatchQuery {
    SIMPLE, MULTIPLE, FALLBACK;

    static final String PENDING = "pending";

    /** Thrown for a query no shape accepts; the message is CARTO's. */
    static final class Invalid extends Exception {
        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    static BatchQuery of(JsonNode query) {
        if (query.isTextual()) {
            return SIMPLE;
        }
        return query.isArray() ? MULTIPLE : FALLBACK;
    }

    /** The stored form of a client's {@code query}: every query and fallback with its status. */
    static JsonNode normalize(JsonNode query) throws Invalid {
        if (query == null || query.isNull() || query.isMissingNode()
                || (query.isTextual() && query.asText().isBlank()) || (query.isArray() && query.isEmpty())) {
            throw new Invalid("You must indicate a valid SQL");
        }
        if (query.isTextual()) {
            return query;
        }
        if (query.isArray()) {
            ArrayNode out = Json.MAPPER.createArrayNode();
            for (JsonNode e : query) {
                String sql = e.isTextual() ? e.asText() : text(e, "query");
                if (sql == null || sql.isBlank()) {
                    throw new Invalid("there is no job class for the provided query");
                }
                out.addObject().put("query", sql).put("status", PENDING);
            }
            return out;
        }
        if (query.isObject() && query.path("query").isArray() && !query.path("query").isEmpty()) {
            ObjectNode out = Json.object();
            ArrayNode elements = out.putArray("query");
            for (JsonNode e : query.get("query")) {
                String sql = text(e, "query");
                if (sql == null || sql.isBlank()) {
                    throw new Invalid("there is no job class for the provided query");
                }
                ObjectNode n = elements.addObject().put("query", sql);
                copyFallbacks(e, n);
                if (e.path("timeout").canConvertToLong()) {
                    n.put("timeout", e.get("timeout").asLong());
                }
                n.put("status", PENDING);
            }
            copyFallbacks(query, out);
            return out;
        }
        throw new Invalid("there is no job class for the provided query");
    }

    private static void copyFallbacks(JsonNode from, ObjectNode to) throws Invalid {
        boolean any = false;
        for (String f : new String[] {"onsuccess", "onerror"}) {
            JsonNode v = from.get(f);
            if (v != null && !v.isNull()) {
                if (!v.isTextual()) {
                    throw new Invalid("there is no job class for the provided query");
                }
                to.put(f, v.asText());
                any = true;
            }
        }
        if (any) {
            to.put("fallback_status", PENDING);
        }
    }

    private static String text(JsonNode e, String field) {
        JsonNode v = e.isObject() ? e.get(field) : null;
        return v != null && v.isTextual() ? v.asText() : null;
    }
}
