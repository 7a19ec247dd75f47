package io.tessera.server.maps.render;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** The CartoCSS properties Tessera draws, their value kinds, and the ones it knowingly ignores. */
enum StyleProperty {
    MARKER_FILL("marker-fill", Kind.COLOR),
    MARKER_FILL_OPACITY("marker-fill-opacity", Kind.NUMBER),
    MARKER_LINE_COLOR("marker-line-color", Kind.COLOR),
    MARKER_LINE_WIDTH("marker-line-width", Kind.NUMBER),
    MARKER_LINE_OPACITY("marker-line-opacity", Kind.NUMBER),
    MARKER_WIDTH("marker-width", Kind.NUMBER),
    MARKER_HEIGHT("marker-height", Kind.NUMBER),
    MARKER_OPACITY("marker-opacity", Kind.NUMBER),
    MARKER_ALLOW_OVERLAP("marker-allow-overlap", Kind.BOOLEAN),
    MARKER_IGNORE_PLACEMENT("marker-ignore-placement", Kind.BOOLEAN),
    MARKER_TYPE("marker-type", Kind.KEYWORD, "ellipse", "rectangle"),
    MARKER_PLACEMENT("marker-placement", Kind.KEYWORD, "point", "interior"),
    LINE_COLOR("line-color", Kind.COLOR),
    LINE_WIDTH("line-width", Kind.NUMBER),
    LINE_OPACITY("line-opacity", Kind.NUMBER),
    LINE_DASHARRAY("line-dasharray", Kind.NUMBERS),
    LINE_JOIN("line-join", Kind.KEYWORD, "miter", "round", "bevel", "miter-revert"),
    LINE_CAP("line-cap", Kind.KEYWORD, "butt", "round", "square"),
    LINE_MITERLIMIT("line-miterlimit", Kind.NUMBER),
    POLYGON_FILL("polygon-fill", Kind.COLOR),
    POLYGON_OPACITY("polygon-opacity", Kind.NUMBER),
    TEXT_NAME("text-name", Kind.TEXT),
    TEXT_FACE_NAME("text-face-name", Kind.TEXT),
    TEXT_SIZE("text-size", Kind.NUMBER),
    TEXT_FILL("text-fill", Kind.COLOR),
    TEXT_OPACITY("text-opacity", Kind.NUMBER),
    TEXT_HALO_FILL("text-halo-fill", Kind.COLOR),
    TEXT_HALO_RADIUS("text-halo-radius", Kind.NUMBER),
    TEXT_ALLOW_OVERLAP("text-allow-overlap", Kind.BOOLEAN),
    TEXT_DX("text-dx", Kind.NUMBER),
    TEXT_DY("text-dy", Kind.NUMBER);

    enum Kind { COLOR, NUMBER, NUMBERS, BOOLEAN, KEYWORD, TEXT }

    /** Compositing and whole-layer opacity: accepted, not applied (a warning says so). */
    static final Set<String> IGNORED = Set.of("opacity", "comp-op", "marker-comp-op", "line-comp-op", "polygon-comp-op",
            "text-comp-op", "image-filters", "direct-image-filters", "marker-placement-type", "polygon-gamma",
            "line-gamma", "text-placement", "text-wrap-width", "text-placement-type", "text-placements",
            "marker-clip", "line-clip", "polygon-clip", "text-clip", "marker-smooth", "line-smooth", "polygon-smooth");

    private static final Map<String, StyleProperty> BY_NAME = new HashMap<>();

    static {
        for (StyleProperty p : values()) {
            BY_NAME.put(p.cssName, p);
        }
    }

    final String cssName;
    final Kind kind;
    final Set<String> keywords;

    StyleProperty(String cssName, Kind kind, String... keywords) {
        this.cssName = cssName;
        this.kind = kind;
        this.keywords = Set.of(keywords);
    }

    static StyleProperty byName(String name) {
        return BY_NAME.get(name);
    }

    /** The symbolizer a property belongs to: marker, line, polygon or text. */
    String symbolizer() {
        return cssName.substring(0, cssName.indexOf('-'));
    }

    /** Whether a constant value fits this property (field references are checked when drawing). */
    boolean accepts(Object v) {
        return switch (kind) {
            case COLOR -> CssColors.toColor(v) != null;
            case NUMBER -> v instanceof Double;
            case NUMBERS -> v instanceof Double || (v instanceof java.util.List<?> l && l.stream().allMatch(Double.class::isInstance));
            case BOOLEAN -> v instanceof Expr.Keyword k && (k.name().equals("true") || k.name().equals("false"));
            case KEYWORD -> v instanceof Expr.Keyword k ? keywords.contains(k.name()) : v instanceof String s && keywords.contains(s);
            case TEXT -> v instanceof String || v instanceof Double || v instanceof Expr.Keyword || v instanceof java.util.List<?>;
        };
    }
}
