package io.tessera.client;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The SDK's one Jackson configuration, shared by every class that reads or writes JSON. Internal to the SDK:
 * callers should not reconfigure the mapper.
 */
public final class Json {

    /**
     * Jackson's default cap on one string (20 MB) is lower than a large geometry's hex EWKB can be; a row is held
     * in memory anyway, so the cap only turned big-but-valid rows into errors.
     */
    private static final int MAX_STRING_LENGTH = 1 << 30;

    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(MAX_STRING_LENGTH).build())
            .build());

    private Json() {
    }

    /** The shared mapper (thread-safe once configured, as Jackson's mappers are). */
    public static ObjectMapper mapper() {
        return MAPPER;
    }
}
