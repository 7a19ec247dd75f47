package io.tessera.server.maps;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/** A template's {@code auth}: {@code open}, or {@code token} with its {@code valid_tokens} (maps-api.md §2.1). */
final class TemplateAuth {
    private TemplateAuth() {
    }

    static boolean allows(JsonNode auth, Optional<String> authToken) {
        String method = auth.path("method").asText("open");
        if (method.equals("open")) {
            return true;
        }
        if (authToken.isEmpty()) {
            return false;
        }
        for (JsonNode t : auth.path("valid_tokens")) {
            if (t.isTextual() && java.security.MessageDigest.isEqual(t.asText().getBytes(), authToken.get().getBytes())) {
                return true;
            }
        }
        return false;
    }
}
