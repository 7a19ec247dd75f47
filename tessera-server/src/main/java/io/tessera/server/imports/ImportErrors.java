package io.tessera.server.imports;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tessera.server.http.ApiException;
import io.tessera.server.http.Json;

/**
 * The Import API's error answers (platform-api.md §1.1, §9): {@code {"errors":{"imports":"…"}}} for a
 * refused POST (400, 413 for an upload over the size limit, 429 when the queue is full); auth failures
 * and unknown imports are empty bodies (401, 404).
 */
public final class ImportErrors {
    private ImportErrors() {
    }

    public static ApiException imports(int status, String message) {
        ObjectNode body = Json.object();
        body.putObject("errors").put("imports", message);
        return new ApiException(status, body, message);
    }

    public static ApiException invalidUrl(String url) {
        return imports(400, "Invalid URL, cannot connect dataset: " + url);
    }

    public static ApiException tooBig(long limit) {
        return imports(413, "File is too big: the upload size limit is " + limit + " bytes");
    }

    public static ApiException unknownPrivacy(String value) {
        return imports(400, "Unknown value '" + value + "' for 'privacy'. Allowed values are: private, public and link");
    }
}
