package io.tessera.server.maps;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tessera.server.auth.RequestAuth;
import io.tessera.server.http.ApiException;
import io.tessera.server.http.Json;
import java.sql.SQLException;
import org.postgresql.util.PSQLException;

/**
 * The Maps API's error shapes and status table (maps-api.md §4.2): every error is
 * {@code {"errors":[msg],"errors_with_context":[{type, subtype?, message, layer?}]}}. Database errors are
 * sorted by their message as Windshaft does: "permission denied"/"authentication failed" → 403,
 * "does not exist" → 404 (but a role → 403, a function or a column → 400), timeouts → 429, else 400.
 */
public final class MapsErrors implements RequestAuth.Errors {
    public static final MapsErrors INSTANCE = new MapsErrors();
    static final String TIMEOUT = "You are over platform's limits: SQL query timeout error. "
            + "Refactor your query before running again or contact CARTO support for more details.";

    private MapsErrors() {
    }

    /** The layer an error is about, as {@code errors_with_context[].layer} names it. */
    public record LayerRef(String id, int index, String type) {
    }

    public static ApiException error(int status, String type, String subtype, String message, LayerRef layer) {
        ObjectNode body = Json.object();
        body.putArray("errors").add(message);
        ArrayNode ctx = body.putArray("errors_with_context");
        ObjectNode c = ctx.addObject();
        c.put("type", type);
        if (subtype != null) {
            c.put("subtype", subtype);
        }
        c.put("message", message);
        if (layer != null) {
            c.putObject("layer").put("id", layer.id()).put("index", layer.index()).put("type", layer.type());
        }
        return new ApiException(status, body, message);
    }

    public static ApiException badRequest(String message) {
        return error(400, "unknown", null, message, null);
    }

    public static ApiException mapconfig(String message) {
        return error(400, "mapconfig", null, message, null);
    }

    public static ApiException tile(String message) {
        return error(400, "tile", null, message, null);
    }

    public static ApiException notFound(String message) {
        return error(404, "unknown", null, message, null);
    }

    public static ApiException forbidden(String message) {
        return error(403, "auth", "api-key-does-not-grant-access", message, null);
    }

    public static ApiException unauthorizedTemplate() {
        return error(403, "auth", null, "Unauthorized template instantiation", null);
    }

    public static ApiException tokenNotAuthorized() {
        return error(403, "auth", null, "Sorry, you are unauthorized (permission denied)", null);
    }

    /** A database error while validating or drawing a layer (null when not tied to one layer). */
    public static ApiException fromSql(SQLException e, LayerRef layer) {
        if ("57014".equals(e.getSQLState())) {
            return error(429, "limit", "datasource", TIMEOUT, layer);
        }
        String message = message(e);
        if (e.getSQLState() != null && e.getSQLState().startsWith("08")) {
            return error(500, "unknown", null, "cannot connect to the database", layer);
        }
        return error(statusOf(message), layer == null ? "unknown" : "layer", layer == null ? null : "query", message, layer);
    }

    /** Windshaft's message rule (error-middleware.js). */
    static int statusOf(String message) {
        String m = message.toLowerCase(java.util.Locale.ROOT);
        if (m.contains("permission denied") || m.contains("authentication failed")) {
            return 403;
        }
        if (m.contains("does not exist")) {
            if (m.contains("role ")) {
                return 403;
            }
            if (m.startsWith("function ") || m.startsWith("column ")) {
                return 400;
            }
            return 404;
        }
        return 400;
    }

    static String message(SQLException e) {
        if (e instanceof PSQLException p && p.getServerErrorMessage() != null && p.getServerErrorMessage().getMessage() != null) {
            return p.getServerErrorMessage().getMessage();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    @Override
    public ApiException noUserInHost(String host) {
        return badRequest("No username found in hostname '" + host + "'");
    }

    @Override
    public ApiException unknownUser(String username) {
        return notFound("Sorry, we can't find CARTO user '" + username + "'. Please check that you have entered the correct domain.");
    }

    @Override
    public ApiException unauthorized() {
        return error(401, "auth", "api-key-not-found", "Unauthorized", null);
    }

    @Override
    public ApiException basicAuthUserMismatch() {
        return error(403, "auth", "api-key-username-mismatch", "Forbidden", null);
    }
}
