package io.tessera.server.auth;

/** Who a request acts for: the tenant user and the API key it presented (default_public when none). */
public record Caller(User user, ApiKey key) {
}
