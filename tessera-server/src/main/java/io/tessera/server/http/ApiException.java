package io.tessera.server.http;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An error that a handler throws and the API's mapper writes: an HTTP status plus the body in the
 * shape of the API that raised it ({@code {"error":[…]}} for SQL, {@code {"errors":…}} for others).
 * Handlers throw; they never format error responses themselves.
 */
public class ApiException extends RuntimeException {
    private final int status;
    private final transient ObjectNode body;

    public ApiException(int status, ObjectNode body, String message) {
        super(message, null, false, false);
        this.status = status;
        this.body = body;
    }

    public int status() {
        return status;
    }

    /** The JSON body, or null for an empty body (as the platform APIs answer a failed auth). */
    public ObjectNode body() {
        return body;
    }
}
