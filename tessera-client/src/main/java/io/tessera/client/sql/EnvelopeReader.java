package io.tessera.client.sql;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tessera.client.CartoException;
import io.tessera.client.ErrorBodies;
import io.tessera.client.Json;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * Reads a JSON object that holds one large array ({@code rows}, {@code features}) among small members, one array
 * element at a time with Jackson's streaming parser, so memory stays flat however long the array is. The small
 * members, before or after the array, are kept as the "trailer". A trailer {@code error} member (how the SQL API
 * reports a failure after it began streaming) is thrown as a {@link CartoException} once the array is done.
 */
final class EnvelopeReader implements AutoCloseable {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    /** Remembers whether the body reached its end, to tell a cut stream from malformed JSON. */
    private static final class EofWatch extends FilterInputStream {
        boolean ended;

        EofWatch(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            ended |= b < 0;
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = super.read(buf, off, len);
            ended |= n < 0;
            return n;
        }
    }

    private static final String TRUNCATED = "the answer ended before its JSON was complete (connection closed "
            + "early?)";

    private enum State { START, IN_ARRAY, DONE }

    private final EofWatch source;
    private final JsonParser parser;
    private final String arrayKey;
    private final ObjectNode trailer = JsonNodeFactory.instance.objectNode();
    private State state = State.START;
    /** True when the parser stands on the first token of an element not yet handed out. */
    private boolean pending;

    EnvelopeReader(InputStream in, String arrayKey) {
        this.arrayKey = arrayKey;
        this.source = new EofWatch(in);
        try {
            this.parser = Json.mapper().createParser(source);
        } catch (IOException e) {
            throw readFailure(e);
        }
    }

    boolean hasNext() {
        try {
            if (state == State.START) {
                open();
            }
            if (state == State.IN_ARRAY && !pending) {
                if (next() == JsonToken.END_ARRAY) {
                    readMembers();
                    state = State.DONE;
                } else {
                    pending = true;
                }
            }
        } catch (IOException e) {
            throw readFailure(e);
        }
        if (state == State.DONE) {
            throwIfError();
            return false;
        }
        return true;
    }

    JsonNode nextNode() {
        take();
        try {
            return Json.mapper().readTree(parser);
        } catch (IOException e) {
            throw readFailure(e);
        }
    }

    Map<String, Object> nextMap() {
        take();
        try {
            return Json.mapper().readValue(parser, MAP);
        } catch (IOException e) {
            throw readFailure(e);
        }
    }

    /** Skips the elements not read yet (without building them) and returns the trailer. */
    ObjectNode finish() {
        while (hasNext()) {
            take();
            try {
                parser.skipChildren();
            } catch (IOException e) {
                throw readFailure(e);
            }
        }
        return trailer;
    }

    @Override
    public void close() {
        try {
            parser.close();
        } catch (IOException e) {
            // Closing a half-read HTTP body only drops the connection; nothing to report.
        }
    }

    private void take() {
        if (!hasNext()) {
            throw new NoSuchElementException("no more elements in \"" + arrayKey + "\"");
        }
        pending = false;
    }

    /** Reads up to the array (keeping members met on the way) or to the end of an object without one. */
    private void open() throws IOException {
        if (next() != JsonToken.START_OBJECT) {
            throw new CartoException("expected a JSON object in the answer, found " + parser.currentToken());
        }
        JsonToken t;
        while ((t = next()) == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = next();
            if (name.equals(arrayKey) && value == JsonToken.START_ARRAY) {
                state = State.IN_ARRAY;
                return;
            }
            trailer.set(name, Json.mapper().readTree(parser));
        }
        expectEndObject(t);
        state = State.DONE;
    }

    private void readMembers() throws IOException {
        JsonToken t;
        while ((t = next()) == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            next();
            trailer.set(name, Json.mapper().readTree(parser));
        }
        expectEndObject(t);
    }

    private void expectEndObject(JsonToken t) {
        if (t != JsonToken.END_OBJECT) {
            throw new CartoException("unexpected " + t + " in the answer's JSON envelope");
        }
    }

    private JsonToken next() throws IOException {
        JsonToken t = parser.nextToken();
        if (t == null) {
            // The connection ended mid-document: a server crash or a cut stream, never a complete result.
            throw new CartoException(TRUNCATED);
        }
        return t;
    }

    private void throwIfError() {
        List<String> errors = ErrorBodies.messagesOf(trailer.get("error"));
        if (!errors.isEmpty()) {
            throw new CartoException(200, errors, trailer);
        }
    }

    private CartoException readFailure(IOException e) {
        // Jackson words an early end in several ways; the source having ended is the reliable sign.
        if (e instanceof JsonEOFException || source.ended) {
            return new CartoException(TRUNCATED, e);
        }
        String m = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        // The HttpClient reports a broken transfer as a bare "closed"; the reason is at the end of the chain.
        if (root != e && root.getMessage() != null) {
            m = m + " (" + root.getMessage() + ")";
        }
        return new CartoException("could not read the answer: " + m, e);
    }
}
