package io.tessera.server.maps.render;

import java.awt.Color;
import java.util.List;
import java.util.Map;

/**
 * One symbolizer of a resolved rule (marker, line, polygon or text) with its property expressions; values
 * are read per feature, falling back to Mapnik's defaults when absent or of the wrong kind.
 */
record Symbolizer(Type type, Map<String, Expr> properties) {

    enum Type { MARKER, LINE, POLYGON, TEXT }

    Color color(String property, Map<String, Object> attributes, Color fallback) {
        Color c = CssColors.toColor(value(property, attributes));
        return c != null ? c : fallback;
    }

    double number(String property, Map<String, Object> attributes, double fallback) {
        Object v = value(property, attributes);
        if (v instanceof Double d && Double.isFinite(d)) {
            return d;
        }
        if (v instanceof String s) {
            try {
                double d = Double.parseDouble(s.strip());
                return Double.isFinite(d) ? d : fallback;
            } catch (NumberFormatException e) {
                return fallback;
            }
        }
        return fallback;
    }

    boolean has(String property) {
        return properties.containsKey(property);
    }

    boolean bool(String property, Map<String, Object> attributes, boolean fallback) {
        Object v = value(property, attributes);
        if (v instanceof Boolean b) {
            return b;
        }
        return v == null ? fallback : Expr.text(v).equals("true");
    }

    String text(String property, Map<String, Object> attributes, String fallback) {
        Object v = value(property, attributes);
        if (v instanceof List<?> l && !l.isEmpty()) {
            v = l.get(0);
        }
        return v == null ? fallback : Expr.text(v);
    }

    /** The dash pattern in pixels, or null for a solid line. */
    float[] dashes(String property, Map<String, Object> attributes, double scale) {
        Object v = value(property, attributes);
        List<?> items = v instanceof List<?> l ? l : (v == null ? List.of() : List.of(v));
        if (items.isEmpty()) {
            return null;
        }
        float[] out = new float[items.size() % 2 == 0 ? items.size() : items.size() * 2];
        for (int i = 0; i < out.length; i++) {
            if (!(items.get(i % items.size()) instanceof Double d) || d < 0) {
                return null;
            }
            out[i] = (float) (d * scale);
        }
        float sum = 0;
        for (float f : out) {
            sum += f;
        }
        // A pattern under a pixel would cost millions of dash segments for a barely visible difference: solid.
        return sum >= 1 ? out : null;
    }

    private Object value(String property, Map<String, Object> attributes) {
        Expr e = properties.get(property);
        return e == null ? null : e.eval(attributes);
    }
}
