package io.tessera.server.maps.render;

import java.util.List;
import java.util.Map;

/**
 * One flattened CartoCSS rule: an attachment, the zoom levels and attribute filters it applies to, its
 * declarations (keyed {@code instance/name}) and carto's specificity (ids, classes, conditions, source index).
 */
record StyleDefinition(String attachment, long zoomMask, List<AttributeFilter> filters, Map<String, Declaration> declarations,
        int ids, int classes, int conditions, int index) {

    /** A resolved declaration; {@code index} is its position in the source, which orders symbolizers. */
    record Declaration(String instance, StyleProperty property, Expr value, int index) {
    }

    boolean matches(int zoom, Map<String, Object> attributes, int geometryType) {
        if (!CartoZoom.contains(zoomMask, zoom)) {
            return false;
        }
        for (AttributeFilter f : filters) {
            if (!f.matches(attributes, geometryType)) {
                return false;
            }
        }
        return true;
    }

    /** carto's order: more ids, then classes, then conditions, then later in the source, first. */
    static int bySpecificity(StyleDefinition a, StyleDefinition b) {
        if (a.ids != b.ids) {
            return b.ids - a.ids;
        }
        if (a.classes != b.classes) {
            return b.classes - a.classes;
        }
        if (a.conditions != b.conditions) {
            return b.conditions - a.conditions;
        }
        return b.index - a.index;
    }
}
