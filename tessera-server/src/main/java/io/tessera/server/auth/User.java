package io.tessera.server.auth;

import java.util.UUID;

/** A Tessera account: its schema, its owner (master) role and its public role. */
public record User(UUID id, String username, String email, String schema, String ownerRole, String publicRole,
                   Integer sqlTimeoutMs) {
}
