package io.tessera.server.maps;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Named-map template validation (maps-api.md §2.1), in Windshaft's order and words. Defaults are
 * materialised ({@code auth: {method: open}}, {@code placeholders: {}}) and {@code api_key}/{@code client}
 * are stripped before the template is stored (security 10). Placeholder positions in the SQL are checked
 * here too, so a template that could let a value escape its place is refused when it is saved.
 */
final class Templates {
    private static final Pattern NAME = Pattern.compile("^[a-z0-9][0-9a-z_-]*$", Pattern.CASE_INSENSITIVE);
    private static final Pattern PLACEHOLDER_KEY = Pattern.compile("^[a-z][0-9a-z_]*$", Pattern.CASE_INSENSITIVE);
    static final Set<String> TYPES = Set.of("sql_literal", "sql_ident", "number", "css_color");

    private Templates() {
    }

    static ObjectNode validate(JsonNode input) {
        if (input == null || !input.isObject()) {
            throw MapsErrors.badRequest("Template must be a JSON object");
        }
        ObjectNode t = MapConfigParser.withoutCredentials((ObjectNode) input);
        String version = t.path("version").asText("");
        if (!version.equals("0.0.1")) {
            throw MapsErrors.badRequest("Unsupported template version " + version);
        }
        String name = t.path("name").asText("");
        if (name.isEmpty()) {
            throw MapsErrors.badRequest("Missing template name");
        }
        if (!NAME.matcher(name).matches() || name.length() > 128) {
            throw MapsErrors.badRequest("Invalid characters in template name '" + name + "'");
        }
        JsonNode lg = t.get("layergroup");
        if (lg == null || !lg.isObject() || !lg.path("layers").isArray() || lg.path("layers").isEmpty()) {
            throw MapsErrors.badRequest("Missing or empty layers array from layergroup config");
        }
        for (int i = 0; i < lg.get("layers").size(); i++) {
            if (!lg.get("layers").get(i).path("options").isObject()) {
                throw MapsErrors.badRequest("Missing options from layer " + i + " of layergroup config");
            }
        }
        JsonNode auth = t.get("auth");
        if (auth == null || auth.isNull()) {
            t.putObject("auth").put("method", "open");
        } else {
            String method = auth.path("method").asText("open");
            if (!method.equals("open") && !method.equals("token")) {
                throw MapsErrors.badRequest("Unsupported authentication method: " + method);
            }
            if (method.equals("token") && (!auth.path("valid_tokens").isArray() || auth.path("valid_tokens").isEmpty())) {
                throw MapsErrors.badRequest("Invalid or missing 'valid_tokens' array in 'token' authorization");
            }
        }
        JsonNode ph = t.get("placeholders");
        if (ph == null || ph.isNull()) {
            t.putObject("placeholders");
        } else if (!ph.isObject()) {
            throw MapsErrors.badRequest("Invalid placeholders: must be an object");
        } else {
            ph.properties().forEach(e -> {
                if (!PLACEHOLDER_KEY.matcher(e.getKey()).matches()) {
                    throw MapsErrors.badRequest("Invalid characters in placeholder name '" + e.getKey() + "'");
                }
                JsonNode p = e.getValue();
                if (!p.has("default")) {
                    throw MapsErrors.badRequest("Missing default for placeholder '" + e.getKey() + "'");
                }
                if (!p.has("type")) {
                    throw MapsErrors.badRequest("Missing type for placeholder '" + e.getKey() + "'");
                }
                if (!TYPES.contains(p.get("type").asText())) {
                    throw MapsErrors.badRequest("Invalid placeholder type '" + p.get("type").asText() + "'");
                }
            });
        }
        Placeholders.checkPositions(t);
        // The defaults must themselves be valid values.
        Placeholders.layergroup(t, null);
        return t;
    }

    /** {@code user@name} → {@code name}. */
    static String nameOf(String id) {
        int at = id.lastIndexOf('@');
        return at < 0 ? id : id.substring(at + 1);
    }
}
