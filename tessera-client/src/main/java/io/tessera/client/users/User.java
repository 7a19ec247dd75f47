package io.tessera.client.users;

import com.fasterxml.jackson.databind.JsonNode;

/** A user as the users API shows it (carto-python's {@code User}); {@link #json()} keeps every field. */
public record User(String username, String email, boolean orgAdmin, String apiKey, long tableCount, long dbSizeInBytes,
                   JsonNode json) {

    static User of(JsonNode j) {
        return new User(j.path("username").asText(), j.path("email").asText(null), j.path("org_admin").asBoolean(false),
                j.path("api_key").asText(null), j.path("table_count").asLong(0), j.path("db_size_in_bytes").asLong(0), j);
    }

    @Override
    public String toString() {
        return "User[" + username + "]"; // never the key
    }
}
