package io.tessera.server.db;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Role passwords are derived, never stored: {@code HMAC-SHA256(server secret, role name)} (decisions:
 * security 3). Any node holding the server secret can log in as any key role, and nothing else can.
 */
public final class RolePasswords {
    private final SecretKeySpec key;

    public RolePasswords(String serverSecret) {
        this.key = new SecretKeySpec(serverSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    public String passwordFor(String role) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            byte[] h = mac.doFinal(role.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(h);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    @Override
    public String toString() {
        return "RolePasswords[hidden]";
    }
}
