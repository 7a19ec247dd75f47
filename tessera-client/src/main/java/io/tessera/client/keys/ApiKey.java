package io.tessera.client.keys;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * An API key as the Auth API shows it (carto-python's {@code APIKey}): name, token, type and grants. {@code grants}
 * keeps the server's whole list; {@link #apis()}, {@link #tables()} and {@link #services()} read its usual parts.
 */
public record ApiKey(String name, String token, String type, String createdAt, String updatedAt, JsonNode grants) {

    /** A table grant: the table and the privileges the key holds on it. */
    public record TableGrant(String schema, String name, List<String> permissions) {
    }

    static ApiKey of(JsonNode json) {
        return new ApiKey(json.path("name").asText(), json.path("token").asText(), json.path("type").asText(),
                json.path("created_at").asText(null), json.path("updated_at").asText(null), json.path("grants"));
    }

    /** The APIs the key may use ({@code sql}, {@code maps}). */
    public List<String> apis() {
        return strings(section("apis").path("apis"));
    }

    /** The tables the key was granted, with their privileges. */
    public List<TableGrant> tables() {
        List<TableGrant> out = new ArrayList<>();
        for (JsonNode t : section("database").path("tables")) {
            out.add(new TableGrant(t.path("schema").asText(), t.path("name").asText(), strings(t.path("permissions"))));
        }
        return out;
    }

    /** The data services the key may use. */
    public List<String> services() {
        return strings(section("dataservices").path("services"));
    }

    private JsonNode section(String type) {
        for (JsonNode g : grants) {
            if (g.path("type").asText().equals(type)) {
                return g;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asText()));
        return out;
    }

    @Override
    public String toString() {
        return "ApiKey[" + name + ", " + type + "]"; // never the token
    }
}
