package io.tessera.server.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The one Jackson setup of the server. */
public final class Json {
    // Jackson's default pool of buffers is per thread, and every request runs on a new virtual thread: each
    // response's generator allocated its buffers afresh. A shared, bounded pool hands them from one request to the next.
    public static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(256 * 1024 * 1024).build())
            .recyclerPool(com.fasterxml.jackson.core.util.JsonRecyclerPools.newBoundedPool(256))
            .build());
    public static final JsonFactory FACTORY = MAPPER.getFactory();

    private Json() {
    }

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** {@code {"error":["message"]}}: the SQL API's error shape. */
    public static ObjectNode errorList(String message) {
        ObjectNode o = object();
        ArrayNode a = o.putArray("error");
        a.add(message);
        return o;
    }
}
