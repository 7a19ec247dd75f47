package io.tessera.server.maps.render;

import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One {@code [field op value]} condition, compared as Mapnik compares values: numbers with numbers, text with
 * text; a number never equals a string. {@code mapnik::geometry_type} is 1 point, 2 line, 3 polygon.
 */
record AttributeFilter(String key, String op, Object value, Pattern regex) {
    static final String GEOMETRY_TYPE = "mapnik::geometry_type";

    static AttributeFilter of(String key, String op, Object value) {
        Pattern regex = op.equals("=~") ? Pattern.compile(Expr.text(value)) : null;
        Object v = value;
        if (value instanceof Expr.Keyword k) {
            v = switch (k.name()) {
                case "null" -> null;
                case "true" -> Boolean.TRUE;
                case "false" -> Boolean.FALSE;
                default -> k.name();
            };
        }
        return new AttributeFilter(key, op, v, regex);
    }

    boolean matches(Map<String, Object> attributes, int geometryType) {
        Object actual = key.equals(GEOMETRY_TYPE) ? (Object) (double) geometryType : attributes.get(key);
        if (actual instanceof Number n) {
            actual = n.doubleValue();
        } else if (actual != null && !(actual instanceof Boolean) && !(actual instanceof String)) {
            actual = actual.toString();
        }
        if (regex != null) {
            return actual != null && regex.matcher(Expr.text(actual)).matches();
        }
        int cmp;
        if (actual == null || value == null) {
            boolean same = actual == null && value == null;
            return op.equals("=") ? same : op.equals("!=") && !same;
        } else if (actual instanceof Double a && value instanceof Double b) {
            cmp = Double.compare(a, b);
        } else if (actual instanceof Boolean a && value instanceof Boolean b) {
            cmp = Boolean.compare(a, b);
        } else if (actual instanceof String a && value instanceof String b) {
            cmp = a.compareTo(b);
        } else {
            return op.equals("!=");
        }
        return switch (op) {
            case "=" -> cmp == 0;
            case "!=" -> cmp != 0;
            case ">" -> cmp > 0;
            case "<" -> cmp < 0;
            case ">=" -> cmp >= 0;
            case "<=" -> cmp <= 0;
            default -> false;
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AttributeFilter f && f.key.equals(key) && f.op.equals(op) && Objects.equals(f.value, value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, op, value);
    }
}
