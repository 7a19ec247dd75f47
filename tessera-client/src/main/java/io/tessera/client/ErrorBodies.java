package io.tessera.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.net.http.HttpHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns an error answer (status, headers, body text) into the exception carto-python would raise: the messages are
 * {@code json["error"]} (a list or one string), else {@code json["errors"]}, else the body text; a 429 with a
 * non-negative {@code Retry-After} becomes a {@link CartoRateLimitException}.
 */
public final class ErrorBodies {

    private ErrorBodies() {
    }

    /** The exception for an answer with status {@code >= 400} (or an errored stream). */
    public static CartoException toException(int status, HttpHeaders headers, String body) {
        JsonNode json = parseJson(body);
        List<String> errors = messages(json, body, status);
        Optional<Long> retryAfter = headers.firstValue("Retry-After").flatMap(ErrorBodies::parseLong);
        if (status == 429 && retryAfter.isPresent() && retryAfter.get() >= 0) {
            return new CartoRateLimitException(errors, json,
                    header(headers, "Carto-Rate-Limit-Limit"),
                    header(headers, "Carto-Rate-Limit-Remaining"),
                    retryAfter.get(),
                    header(headers, "Carto-Rate-Limit-Reset"));
        }
        return new CartoException(status, errors, json);
    }

    /** The error messages of a body, as {@link #toException} reads them; never empty. */
    public static List<String> parse(String body) {
        return messages(parseJson(body), body, 0);
    }

    /**
     * The messages of an {@code error}/{@code errors} member: a list gives one message per element (objects as
     * their JSON text), a scalar gives one; empty when {@code value} is absent or null.
     */
    public static List<String> messagesOf(JsonNode value) {
        List<String> out = new ArrayList<>();
        if (value == null || value.isMissingNode() || value.isNull()) {
            return out;
        }
        if (value.isArray()) {
            value.forEach(e -> out.add(e.isTextual() ? e.asText() : e.toString()));
        } else {
            out.add(value.isTextual() ? value.asText() : value.toString());
        }
        return out;
    }

    private static List<String> messages(JsonNode json, String body, int status) {
        if (json.isObject()) {
            List<String> errors = messagesOf(json.get("error"));
            if (errors.isEmpty()) {
                errors = messagesOf(json.get("errors"));
            }
            if (!errors.isEmpty()) {
                return errors;
            }
        }
        String text = body == null ? "" : body.strip();
        if (!text.isEmpty()) {
            return List.of(text);
        }
        return List.of(status > 0 ? "HTTP " + status + " with an empty body" : "empty error body");
    }

    private static JsonNode parseJson(String body) {
        if (body == null || body.isBlank()) {
            return MissingNode.getInstance();
        }
        try {
            JsonNode node = Json.mapper().readTree(body);
            return node == null ? MissingNode.getInstance() : node;
        } catch (IOException e) {
            // Not JSON (an HTML 404 page, a proxy's text): the body text itself is the message.
            return MissingNode.getInstance();
        }
    }

    private static long header(HttpHeaders headers, String name) {
        return headers.firstValue(name).flatMap(ErrorBodies::parseLong).orElse(-1L);
    }

    private static Optional<Long> parseLong(String v) {
        try {
            return Optional.of(Long.parseLong(v.trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
