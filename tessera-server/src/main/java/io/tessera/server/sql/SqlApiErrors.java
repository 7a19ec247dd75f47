package io.tessera.server.sql;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tessera.server.auth.RequestAuth;
import io.tessera.server.http.ApiException;
import io.tessera.server.http.Json;
import java.sql.SQLException;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * The SQL API's status table and error shapes (sql-api.md §3.1): {@code {"error":[msg]}} plus
 * {@code context}/{@code detail}/{@code hint} from PostgreSQL; a message with "permission denied" is
 * 403, timeouts are 429 with CARTO's limit text, everything else 400.
 */
public final class SqlApiErrors implements RequestAuth.Errors {
    public static final SqlApiErrors INSTANCE = new SqlApiErrors();
    public static final String TIMEOUT_MESSAGE = "You are over platform's limits: SQL query timeout error. "
            + "Refactor your query before running again or contact CARTO support for more details.";
    private static final String QUERY_CANCELED = "57014";

    private SqlApiErrors() {
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, Json.errorList(message), message);
    }

    public static ApiException forbidden(String message) {
        return new ApiException(403, Json.errorList(message), message);
    }

    /** A key whose {@code apis} grant lacks {@code sql} (Auth API) may not use the SQL, Batch or COPY APIs. */
    public static ApiException noSqlGrant() {
        return forbidden("permission denied: this API key does not grant access to the SQL API");
    }

    public static ApiException timeout() {
        ObjectNode body = Json.errorList(TIMEOUT_MESSAGE);
        body.put("context", "limit");
        body.put("detail", "datasource");
        return new ApiException(429, body, "timeout");
    }

    /** Sorts a database error into the SQL API's status and body. */
    public static ApiException fromSql(SQLException e) {
        if (isTimeout(e)) {
            return timeout();
        }
        String message = message(e);
        ObjectNode body = Json.errorList(message);
        if (e instanceof PSQLException p && p.getServerErrorMessage() != null) {
            ServerErrorMessage m = p.getServerErrorMessage();
            putIfPresent(body, "context", m.getWhere());
            putIfPresent(body, "detail", m.getDetail());
            putIfPresent(body, "hint", m.getHint());
        }
        int status = message.contains("permission denied") ? 403 : 400;
        if (isConnectionFailure(e)) {
            status = 500;
            body = Json.errorList("cannot connect to the database");
        }
        return new ApiException(status, body, message);
    }

    /** PostgreSQL's own message (not the driver's "ERROR: … Position:" string). */
    public static String message(SQLException e) {
        if (e instanceof PSQLException p && p.getServerErrorMessage() != null && p.getServerErrorMessage().getMessage() != null) {
            return p.getServerErrorMessage().getMessage();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    public static boolean isTimeout(SQLException e) {
        return QUERY_CANCELED.equals(e.getSQLState());
    }

    private static boolean isConnectionFailure(SQLException e) {
        String state = e.getSQLState();
        return state != null && state.startsWith("08");
    }

    private static void putIfPresent(ObjectNode body, String key, String value) {
        if (value != null && !value.isEmpty()) {
            body.put(key, value);
        }
    }

    @Override
    public ApiException noUserInHost(String host) {
        return badRequest("No username found in hostname '" + host + "'");
    }

    @Override
    public ApiException unknownUser(String username) {
        String m = "Sorry, we can't find CARTO user '" + username + "'. Please check that you have entered the correct domain.";
        return new ApiException(404, Json.errorList(m), m);
    }

    @Override
    public ApiException unauthorized() {
        return new ApiException(401, Json.errorList("Unauthorized"), "Unauthorized");
    }

    @Override
    public ApiException basicAuthUserMismatch() {
        return forbidden("permission denied");
    }
}
