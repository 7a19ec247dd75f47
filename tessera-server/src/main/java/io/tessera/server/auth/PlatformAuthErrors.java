package io.tessera.server.auth;

import io.tessera.server.http.ApiException;

/**
 * How CARTO's platform (Rails) APIs answer failed authentication (platform-api.md §9): the warden failure
 * app sends 401 with an empty body; an unknown user is 404 with an empty body.
 */
public final class PlatformAuthErrors implements RequestAuth.Errors {
    public static final PlatformAuthErrors INSTANCE = new PlatformAuthErrors();

    private PlatformAuthErrors() {
    }

    public static ApiException empty(int status) {
        return new ApiException(status, null, "status " + status);
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
