package io.tessera.server.maps;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Named-map placeholders (maps-api.md §2.1, security 10). In SQL every {@code <%= name %>} is placed by a
 * lexer that knows whether it sits in plain SQL, a {@code '…'} string, an {@code E'…'} string, a
 * {@code "…"} identifier, a comment or a dollar quote, and each type may only appear where it cannot
 * escape: {@code sql_literal} only inside {@code '…'} (quotes doubled), {@code sql_ident} as a whole quoted
 * identifier or inside {@code "…"} (quotes doubled), {@code number} parsed and parenthesised when signed,
 * {@code css_color} only letters or {@code #hex}. Nothing is substituted in comments or dollar quotes.
 */
final class Placeholders {
    private static final Pattern TOKEN = Pattern.compile("<%=\\s*([A-Za-z][0-9A-Za-z_]*)\\s*%>");
    private static final Pattern NUMBER = Pattern.compile("^([-+]?[\\d.]?\\d+([eE][+-]?\\d+)?)$");
    private static final Pattern COLOR = Pattern.compile("^([a-zA-Z]+|#[0-9a-fA-F]{3,6})$");

    private enum Context { PLAIN, STRING, ESCAPE_STRING, IDENT, OTHER }

    private Placeholders() {
    }

    /** Refuses a template whose SQL puts a placeholder where its type could escape. */
    static void checkPositions(ObjectNode template) {
        Map<String, String> types = types(template);
        JsonNode layers = template.path("layergroup").path("layers");
        for (int i = 0; i < layers.size(); i++) {
            String sql = layers.get(i).path("options").path("sql").asText(null);
            if (sql != null) {
                rewriteSql(sql, types, null, i);
            }
        }
    }

    /** The template's layergroup with {@code params} (null = defaults only) substituted. */
    static ObjectNode layergroup(ObjectNode template, JsonNode params) {
        Map<String, String> types = types(template);
        Map<String, String> values = new HashMap<>();
        template.path("placeholders").properties().forEach(e -> {
            JsonNode given = params == null ? null : params.get(e.getKey());
            JsonNode v = given == null || given.isNull() ? e.getValue().get("default") : given;
            values.put(e.getKey(), validValue(e.getKey(), types.get(e.getKey()), v.isValueNode() ? v.asText() : v.toString()));
        });
        ObjectNode lg = template.get("layergroup").deepCopy();
        JsonNode layers = lg.path("layers");
        for (int i = 0; i < layers.size(); i++) {
            ObjectNode o = (ObjectNode) layers.get(i).get("options");
            if (o.path("sql").isTextual()) {
                o.put("sql", rewriteSql(o.get("sql").asText(), types, values, i));
            }
            if (o.path("cartocss").isTextual()) {
                o.put("cartocss", replaceAll(o.get("cartocss").asText(), values, types));
            }
        }
        JsonNode buffer = lg.get("buffersize");
        if (buffer != null && buffer.isObject()) {
            ObjectNode b = (ObjectNode) buffer;
            b.properties().forEach(e -> {
                if (e.getValue().isTextual()) {
                    String s = replaceAll(e.getValue().asText(), values, types);
                    try {
                        e.setValue(b.numberNode(Integer.parseInt(s.strip())));
                    } catch (NumberFormatException ex) {
                        throw MapsErrors.mapconfig("Buffer size of format \"" + e.getKey() + "\" must be a number");
                    }
                }
            });
        }
        return lg;
    }

    private static Map<String, String> types(ObjectNode template) {
        Map<String, String> types = new HashMap<>();
        template.path("placeholders").properties().forEach(e -> types.put(e.getKey(), e.getValue().path("type").asText()));
        return types;
    }

    private static String validValue(String name, String type, String v) {
        boolean ok = switch (type) {
            case "number" -> NUMBER.matcher(v).matches() && parses(v);
            case "css_color" -> COLOR.matcher(v).matches();
            case "sql_ident" -> !v.isEmpty() && v.length() <= 63 && v.indexOf('\0') < 0;
            case "sql_literal" -> v.indexOf('\0') < 0;
            default -> throw MapsErrors.badRequest("Invalid placeholder type '" + type + "'");
        };
        if (!ok) {
            throw MapsErrors.badRequest("Invalid " + type + " value for template parameter '" + name + "': " + v);
        }
        return v;
    }

    private static boolean parses(String v) {
        try {
            new BigDecimal(v.startsWith("+") ? v.substring(1) : v);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Outside SQL (CartoCSS, buffer sizes) values go in as they are; {@code sql_literal} with quotes doubled as Windshaft does. */
    private static String replaceAll(String text, Map<String, String> values, Map<String, String> types) {
        Matcher m = TOKEN.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = values.get(m.group(1));
            String r = v == null ? m.group() : "sql_literal".equals(types.get(m.group(1))) ? v.replace("'", "''") : v;
            m.appendReplacement(out, Matcher.quoteReplacement(r));
        }
        return m.appendTail(out).toString();
    }

    /** Walks the SQL once; with {@code values == null} it only checks positions. */
    private static String rewriteSql(String sql, Map<String, String> types, Map<String, String> values, int layer) {
        StringBuilder out = new StringBuilder();
        Context ctx = Context.PLAIN;
        String dollarTag = null;
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (c == '<' && sql.startsWith("<%=", i)) {
                Matcher m = TOKEN.matcher(sql).region(i, n);
                if (m.lookingAt() && types.containsKey(m.group(1))) {
                    String name = m.group(1);
                    out.append(place(name, types.get(name), values == null ? null : values.get(name), ctx,
                            layer, sql, i, m.end()));
                    i = m.end();
                    continue;
                }
            }
            switch (ctx) {
                case PLAIN -> {
                    if (c == '\'') {
                        boolean escape = i > 0 && (sql.charAt(i - 1) == 'E' || sql.charAt(i - 1) == 'e')
                                && (i < 2 || !Character.isLetterOrDigit(sql.charAt(i - 2)) && sql.charAt(i - 2) != '_');
                        ctx = escape ? Context.ESCAPE_STRING : Context.STRING;
                    } else if (c == '"') {
                        ctx = Context.IDENT;
                    } else if (c == '-' && sql.startsWith("--", i)) {
                        int nl = sql.indexOf('\n', i);
                        int end = nl < 0 ? n : nl;
                        checkNoPlaceholder(sql.substring(i, end), types, layer);
                        out.append(sql, i, end);
                        i = end;
                        continue;
                    } else if (c == '/' && sql.startsWith("/*", i)) {
                        // PostgreSQL nests block comments: ending at the first close would let a placeholder
                        // that PostgreSQL sees inside the comment pass the position check
                        int end = io.tessera.server.sql.SqlScript.skipBlockComment(sql, i);
                        checkNoPlaceholder(sql.substring(i, end), types, layer);
                        out.append(sql, i, end);
                        i = end;
                        continue;
                    } else if (c == '$') {
                        Matcher d = Pattern.compile("\\$([A-Za-z_][A-Za-z0-9_]*)?\\$").matcher(sql).region(i, n);
                        if (d.lookingAt() && (i == 0 || !Character.isLetterOrDigit(sql.charAt(i - 1)))) {
                            dollarTag = d.group();
                            int close = sql.indexOf(dollarTag, d.end());
                            int end = close < 0 ? n : close + dollarTag.length();
                            checkNoPlaceholder(sql.substring(i, end), types, layer);
                            out.append(sql, i, end);
                            i = end;
                            continue;
                        }
                    }
                }
                case STRING -> {
                    if (c == '\'') {
                        ctx = Context.PLAIN; // a doubled '' re-enters STRING on the next char
                    }
                }
                case ESCAPE_STRING -> {
                    if (c == '\\' && i + 1 < n) {
                        out.append(c).append(sql.charAt(i + 1));
                        i += 2;
                        continue;
                    }
                    if (c == '\'') {
                        ctx = Context.PLAIN;
                    }
                }
                case IDENT -> {
                    if (c == '"') {
                        ctx = Context.PLAIN;
                    }
                }
                default -> {
                }
            }
            out.append(c);
            i++;
        }
        return out.toString();
    }

    private static void checkNoPlaceholder(String part, Map<String, String> types, int layer) {
        Matcher m = TOKEN.matcher(part);
        while (m.find()) {
            if (types.containsKey(m.group(1))) {
                throw misplaced(m.group(1), types.get(m.group(1)), layer, "a comment or dollar-quoted string");
            }
        }
    }

    private static String place(String name, String type, String value, Context ctx, int layer, String sql, int start,
                                int end) {
        boolean allowed = switch (type) {
            case "sql_literal" -> ctx == Context.STRING;
            case "sql_ident" -> ctx == Context.PLAIN || ctx == Context.IDENT;
            case "number", "css_color" -> ctx != Context.OTHER;
            default -> false;
        };
        if (!allowed) {
            throw misplaced(name, type, layer, switch (ctx) {
                case PLAIN -> "plain SQL (it must be inside a '…' string)";
                case ESCAPE_STRING -> "an E'…' string";
                case IDENT -> "a \"…\" identifier";
                default -> "this position";
            });
        }
        if (value == null) {
            return sql.substring(start, end);
        }
        return switch (type) {
            case "sql_literal" -> value.replace("'", "''");
            case "sql_ident" -> ctx == Context.IDENT ? value.replace("\"", "\"\"") : "\"" + value.replace("\"", "\"\"") + "\"";
            case "number" -> ctx == Context.PLAIN && (value.startsWith("-") || value.startsWith("+")) ? "(" + value + ")" : value;
            default -> value;
        };
    }

    private static RuntimeException misplaced(String name, String type, int layer, String where) {
        return MapsErrors.badRequest("Placeholder '" + name + "' of type " + type + " cannot be used in " + where
                + " (layer " + layer + " sql)");
    }
}
