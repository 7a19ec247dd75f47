package io.tessera.server.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.server.http.Json;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;

/** Reads {@code tessera.jobs} rows and writes JSON columns; shared by the store and the lease side. */
final class JobRows {
    static final String COLUMNS = "id, kind, user_id, lane, db_role, status, payload, state, failed_reason, "
            + "cancel_requested, created_at, updated_at, started_at, ended_at";

    private JobRows() {
    }

    static Job read(ResultSet rs) throws SQLException {
        return new Job(rs.getObject("id", UUID.class), rs.getString("kind"), rs.getObject("user_id", UUID.class),
                rs.getString("lane"), rs.getString("db_role"), JobStatus.fromWire(rs.getString("status")),
                json(rs.getString("payload")), json(rs.getString("state")), rs.getString("failed_reason"),
                rs.getBoolean("cancel_requested"), instant(rs, "created_at"), instant(rs, "updated_at"),
                instant(rs, "started_at"), instant(rs, "ended_at"));
    }

    static String text(JsonNode node) {
        return node == null || node.isNull() ? null : node.toString();
    }

    private static JsonNode json(String s) throws SQLException {
        if (s == null) {
            return null;
        }
        try {
            return Json.MAPPER.readTree(s);
        } catch (JsonProcessingException e) {
            throw new SQLException("bad JSON in tessera.jobs: " + e.getOriginalMessage(), e);
        }
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
