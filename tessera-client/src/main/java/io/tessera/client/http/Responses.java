package io.tessera.client.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.tessera.client.CartoException;
import io.tessera.client.ErrorBodies;
import io.tessera.client.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Reads the answers of {@code AuthClient.send} the way pyrestcli's {@code get_response_data} does: a status below
 * 400 gives the body, anything else becomes a {@link CartoException} built from the error body. Every method closes
 * the body when it has finished with it, or hands it over to the caller.
 */
public final class Responses {

    /** Error bodies are short JSON; the cap only protects against a server that answers an error with a file. */
    private static final int MAX_ERROR_BODY = 1 << 20;

    private Responses() {
    }

    /** The body stream of a successful answer (the caller closes it); throws the server's error otherwise. */
    public static InputStream bodyOrThrow(HttpResponse<InputStream> response) {
        if (response.statusCode() < 400) {
            return response.body();
        }
        String text;
        try (InputStream in = response.body()) {
            text = new String(in.readNBytes(MAX_ERROR_BODY), StandardCharsets.UTF_8);
        } catch (IOException e) {
            text = "";
        }
        throw ErrorBodies.toException(response.statusCode(), response.headers(), text);
    }

    /** The JSON of a successful answer ({@link NullNode} for 204); throws the server's error otherwise. */
    public static JsonNode json(HttpResponse<InputStream> response) {
        try (InputStream in = bodyOrThrow(response)) {
            if (response.statusCode() == 204) {
                return NullNode.getInstance();
            }
            JsonNode node = Json.mapper().readTree(in);
            if (node == null || node.isMissingNode()) {
                throw new CartoException(response.statusCode(), List.of(
                        "HTTP " + response.statusCode() + " answered with an empty body where JSON was expected"),
                        null);
            }
            return node;
        } catch (IOException e) {
            throw new CartoException("could not read the JSON answer: " + e.getMessage(), e);
        }
    }

    /** All bytes of a successful answer; throws the server's error otherwise. */
    public static byte[] bytes(HttpResponse<InputStream> response) {
        try (InputStream in = bodyOrThrow(response)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new CartoException("could not read the answer: " + e.getMessage(), e);
        }
    }
}
