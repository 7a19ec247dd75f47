package io.tessera.server.auth;

import io.tessera.server.http.ApiException;
import io.tessera.server.http.ApiRequest;

/**
 * Who a platform API request acts for (platform-api.md §9): {@code api_authorization_required} wants the
 * user's master key (anything else: 401, empty body); {@code optional_api_authorization} treats a missing,
 * invalid or non-master key as an anonymous viewer, who acts through {@code default_public}.
 */
public final class PlatformCallers {
    private final RequestAuth auth;
    private final Accounts accounts;

    public PlatformCallers(RequestAuth auth, Accounts accounts) {
        this.auth = auth;
        this.accounts = accounts;
    }

    public Caller master(ApiRequest req) {
        Caller c = auth.resolve(req, PlatformAuthErrors.INSTANCE, req::bodyParam);
        if (!c.key().isMaster()) {
            throw PlatformAuthErrors.empty(401);
        }
        return c;
    }

    public Caller optional(ApiRequest req) {
        User user = auth.user(req, PlatformAuthErrors.INSTANCE);
        try {
            Caller c = auth.resolve(req, PlatformAuthErrors.INSTANCE, req::bodyParam);
            if (c.key().isMaster()) {
                return c;
            }
        } catch (ApiException e) {
            if (e.status() != 401) {
                throw e;
            }
        }
        ApiKey anonymous = accounts.findKey(user, ApiKey.DEFAULT_PUBLIC).orElseThrow(() -> PlatformAuthErrors.empty(401));
        return new Caller(user, anonymous);
    }
}
