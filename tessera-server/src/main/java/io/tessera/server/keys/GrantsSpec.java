package io.tessera.server.keys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.tessera.server.http.Json;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code grants} of a key-creation request, validated as CARTO's JSON schema does
 * ({@code lib/formats/carto/api_key/grants.json}: exactly one {@code apis} section, at most one of each
 * other type, no unknown properties), with CARTO's 422 messages.
 */
record GrantsSpec(List<String> apis, List<TableGrant> tables, List<SchemaGrant> schemas, List<String> services,
                  ArrayNode echoed) {

    record TableGrant(String schema, String name, List<String> permissions) {
    }

    record SchemaGrant(String name, List<String> permissions) {
    }

    private static final List<String> APIS = List.of("sql", "maps", "do");
    private static final List<String> TABLE_PERMISSIONS = List.of("insert", "select", "update", "delete");
    private static final List<String> SERVICES = List.of("geocoding", "routing", "isolines", "observatory");
    private static final Map<String, Set<String>> SECTION_KEYS = Map.of(
            "apis", Set.of("type", "apis"),
            "database", Set.of("type", "tables", "schemas", "table_metadata"),
            "dataservices", Set.of("type", "services"),
            "user", Set.of("type", "data"),
            "data-observatory", Set.of("type", "datasets"));

    static GrantsSpec parse(JsonNode grants) {
        if (grants == null || !grants.isArray()) {
            throw AuthApiErrors.unprocessable("grants has to be an array");
        }
        List<String> apis = null;
        List<TableGrant> tables = new ArrayList<>();
        List<SchemaGrant> schemas = new ArrayList<>();
        List<String> services = new ArrayList<>();
        ArrayNode echoed = Json.MAPPER.createArrayNode();
        Set<String> seen = new HashSet<>();
        for (JsonNode section : grants) {
            String type = section.path("type").asText(null);
            if (type == null || !SECTION_KEYS.containsKey(type)) {
                throw invalid("type", section.path("type").asText(""), List.of("apis", "database", "dataservices", "user", "data-observatory"));
            }
            if (!seen.add(type)) {
                throw AuthApiErrors.unprocessable("Grants: only one grant of type '" + type + "' is allowed");
            }
            rejectUnknownKeys(section, SECTION_KEYS.get(type));
            switch (type) {
                case "apis" -> apis = strings(section.get("apis"), "apis", APIS);
                case "database" -> {
                    for (JsonNode t : array(section.get("tables"), "tables")) {
                        rejectUnknownKeys(t, Set.of("schema", "name", "permissions", "owner"));
                        tables.add(new TableGrant(required(t, "schema"), required(t, "name"),
                                ordered(strings(t.get("permissions"), "permissions", TABLE_PERMISSIONS))));
                    }
                    for (JsonNode s : array(section.get("schemas"), "schemas")) {
                        rejectUnknownKeys(s, Set.of("name", "permissions"));
                        schemas.add(new SchemaGrant(required(s, "name"), strings(s.get("permissions"), "permissions", List.of("create"))));
                    }
                    if (section.has("table_metadata")) {
                        echoed.add(Json.object().put("type", "database").set("table_metadata", Json.MAPPER.createArrayNode()));
                    }
                }
                case "dataservices" -> services = strings(section.get("services"), "services", SERVICES);
                default -> echoed.add(section.deepCopy());
            }
        }
        if (apis == null) {
            throw AuthApiErrors.unprocessable("Grants: an 'apis' grant is required");
        }
        return new GrantsSpec(apis, tables, schemas, services, echoed);
    }

    private static void rejectUnknownKeys(JsonNode node, Set<String> allowed) {
        if (!node.isObject()) {
            throw AuthApiErrors.unprocessable("Grants: each grant has to be an object");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) {
                throw AuthApiErrors.unprocessable("Grants: The property '#/' contains additional properties [\"" + f + "\"] outside of the schema");
            }
        }
    }

    private static Iterable<JsonNode> array(JsonNode node, String field) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw AuthApiErrors.unprocessable("Grants: '" + field + "' has to be an array");
        }
        return node;
    }

    private static List<String> strings(JsonNode node, String field, List<String> allowed) {
        List<String> out = new ArrayList<>();
        for (JsonNode v : array(node, field)) {
            if (!v.isTextual() || !allowed.contains(v.asText())) {
                throw invalid(field, v.asText(), allowed);
            }
            out.add(v.asText());
        }
        return List.copyOf(new LinkedHashSet<>(out));
    }

    private static List<String> ordered(List<String> permissions) {
        return TABLE_PERMISSIONS.stream().filter(permissions::contains).toList();
    }

    private static String required(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            throw AuthApiErrors.unprocessable("Grants: The property '#/' did not contain a required property of '" + field + "'");
        }
        return v.asText();
    }

    private static RuntimeException invalid(String field, String value, List<String> allowed) {
        return AuthApiErrors.unprocessable("Grants: The property '#/" + field + "' value \"" + value
                + "\" did not match one of the following values: " + String.join(", ", allowed));
    }
}
