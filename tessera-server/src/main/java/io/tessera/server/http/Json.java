package io.tessera.server.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The one Jackson setup of the server. */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(256 * 1024 * 1024).build())
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
