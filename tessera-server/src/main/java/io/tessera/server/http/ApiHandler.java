package io.tessera.server.http;

import io.helidon.webserver.http.ServerResponse;

/** Handles one routed request. Throws {@link ApiException} for errors; never formats them itself. */
@FunctionalInterface
public interface ApiHandler {
    void handle(ApiRequest request, ServerResponse response) throws Exception;
}
