package io.tessera.server.datasets;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tessera.server.auth.PlatformAuthErrors;
import io.tessera.server.http.ApiException;
import io.tessera.server.http.Json;
import java.sql.SQLException;

/**
 * The error shapes of CARTO's platform APIs (platform-api.md §9) for {@code /api/v1/viz} and
 * {@code /api/v1/tables} (failed auth: {@link PlatformAuthErrors}): Carto errors are
 * {@code {"errors":"msg","errors_cause":null}}, the list speaks {@code {"error":"msg"}}. Database errors
 * are sorted by SQLState here, next to the API (decisions: one mapping table per API).
 */
public final class PlatformErrors {

    private PlatformErrors() {
    }

    public static ApiException empty(int status) {
        return PlatformAuthErrors.empty(status);
    }

    /** {@code {"errors":"msg","errors_cause":null}} (Carto::CartoError family). */
    public static ApiException carto(int status, String message) {
        return PlatformAuthErrors.carto(status, message);
    }

    /** {@code {"error":"msg"}}: the viz list's shape. */
    public static ApiException listError(int status, String message) {
        return new ApiException(status, Json.object().put("error", message), message);
    }

    /** {@code {"errors":["msg"]}}: the viz update's shape. */
    public static ApiException updateError(int status, String message) {
        ObjectNode body = Json.object();
        body.putArray("errors").add(message);
        return new ApiException(status, body, message);
    }

    /** SQLState → status for dataset operations: permission 403, missing object 404, bad input 400, else 500. */
    public static ApiException fromDatabase(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String msg = DatabaseMessages.text(e);
        return switch (state) {
            case "42501" -> carto(403, msg);
            case "42P01", "42704" -> carto(404, msg);
            case "42P07", "42710", "23505", "42601", "42602", "42622", "2BP01", "22023" -> updateError(400, msg);
            default -> carto(500, msg);
        };
    }
}
