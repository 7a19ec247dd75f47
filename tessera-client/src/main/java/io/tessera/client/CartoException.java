package io.tessera.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.List;
import java.util.Optional;

/**
 * Any failure of a call through the SDK, as carto-python's {@code CartoException}: an error answered by the server
 * (its HTTP status and the messages of its error body), an error the server appended after it began streaming a
 * result (status 200), or a failure to reach the server or to read its answer (status 0).
 */
public class CartoException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final List<String> errors;
    private final transient JsonNode errorBody;

    /** A client-side failure (no HTTP status) with one message. */
    public CartoException(String message) {
        this(message, null);
    }

    /** A client-side failure (no HTTP status) caused by {@code cause}, e.g. a refused connection. */
    public CartoException(String message, Throwable cause) {
        super(message, cause);
        this.status = 0;
        this.errors = List.of(message);
        this.errorBody = MissingNode.getInstance();
    }

    /**
     * An error reported by the server.
     *
     * @param status    the HTTP status (200 for an error appended to a streamed result)
     * @param errors    the server's messages, at least one
     * @param errorBody the parsed error body, or {@link MissingNode} when the body was not JSON
     */
    public CartoException(int status, List<String> errors, JsonNode errorBody) {
        super(String.join("; ", errors));
        this.status = status;
        this.errors = List.copyOf(errors);
        this.errorBody = errorBody == null ? MissingNode.getInstance() : errorBody;
    }

    /** The HTTP status of the answer, or 0 when the server was not reached or not understood. */
    public int status() {
        return status;
    }

    /** The server's error messages, in order ({@code json["error"]}, else {@code json["errors"]}, else the body). */
    public List<String> errors() {
        return errors;
    }

    /** The whole error body when it was JSON (the SQL API adds {@code hint}, {@code detail}, {@code context}). */
    public JsonNode errorBody() {
        return errorBody;
    }

    /** A text member of the error body, such as {@code hint} or {@code detail}, when the server sent one. */
    public Optional<String> detail(String key) {
        JsonNode v = errorBody.path(key);
        return v.isValueNode() && !v.isNull() ? Optional.of(v.asText()) : Optional.empty();
    }
}
