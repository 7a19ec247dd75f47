package io.tessera.server.keys;

import io.tessera.server.auth.PlatformAuthErrors;
import io.tessera.server.http.ApiException;

/**
 * The Auth API's error shapes (platform-api.md §6, §9): {@code {"errors":"…","errors_cause":null}} with the
 * error's status. Failed authentication is {@link io.tessera.server.auth.PlatformAuthErrors}'s.
 */
final class AuthApiErrors {
    static final String FORBIDDEN = "You don't have permission to access that resource";

    private AuthApiErrors() {
    }

    static ApiException error(int status, String message) {
        return PlatformAuthErrors.carto(status, message);
    }

    static ApiException notFound(String name) {
        return error(404, "API key not found: " + name);
    }

    static ApiException forbidden() {
        return error(403, FORBIDDEN);
    }

    static ApiException unprocessable(String message) {
        return error(422, message);
    }

}
