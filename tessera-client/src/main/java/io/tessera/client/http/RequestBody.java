package io.tessera.client.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest.BodyPublisher;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The body of an {@link ApiRequest}. Its kind matters beyond encoding: an API-key client puts the key in a JSON
 * body but in the query string for every other kind, as carto-python does.
 */
public sealed interface RequestBody {

    /** No body. */
    record None() implements RequestBody {
    }

    /**
     * A form-urlencoded body.
     *
     * @param params the fields, in order
     */
    record Form(List<Param> params) implements RequestBody {
        public Form {
            params = List.copyOf(params);
        }
    }

    /**
     * A JSON body ({@code application/json}).
     *
     * @param json the document; never mutated by the SDK (credentials are added to a copy)
     */
    record Json(JsonNode json) implements RequestBody {
        public Json {
            Objects.requireNonNull(json, "json");
        }
    }

    /**
     * Any other body, e.g. a streamed COPY upload or a multipart form.
     *
     * @param contentType the {@code Content-Type} header value
     * @param publisher   makes a fresh publisher each time the request is built, so a request can be rebuilt
     */
    record Raw(String contentType, Supplier<BodyPublisher> publisher) implements RequestBody {
        public Raw {
            Objects.requireNonNull(contentType, "contentType");
            Objects.requireNonNull(publisher, "publisher");
        }
    }

    /** The empty body. */
    static RequestBody none() {
        return new None();
    }
}
