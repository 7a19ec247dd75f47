package io.tessera.server.auth;

import io.tessera.server.http.ApiException;
import io.tessera.server.http.Json;

/**
 * How CARTO's platform (Rails) APIs answer failed authentication (platform-api.md §9): the warden failure
 * app sends 401 with an empty body; an unknown user is 404 with an empty body. Also the shared Carto error shape.
 */
public final class PlatformAuthErrors implements RequestAuth.Errors {
    public static final PlatformAuthErrors INSTANCE = new PlatformAuthErrors();

    private PlatformAuthErrors() {
    }

    public static ApiException empty(int status) {
        return new ApiException(status, null, "status " + status);
    }

    /** {@code {"errors":"msg","errors_cause":null}}: the Carto::CartoError family's shape. */
    public static ApiException carto(int status, String message) {
        return new ApiException(status, Json.object().put("errors", message).putNull("errors_cause"), message);
    }

    @Override
    public ApiException noUserInHost(String host) {
        return empty(404);
    }

    @Override
    public ApiException unknownUser(String username) {
        return empty(404);
    }

    @Override
    public ApiException unauthorized() {
        return empty(401);
    }

    @Override
    public ApiException basicAuthUserMismatch() {
        return empty(401);
    }
}
