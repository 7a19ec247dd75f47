package io.tessera.server.maps.render;

import java.util.Map;

/**
 * A feature to draw: its id (the UTFGrid key; Windshaft keys grids by {@code cartodb_id}), its geometry as WKB in output-pixel coordinates with y down
 * (what {@code ST_AsBinary(ST_AsMVTGeom(...))} gives for an extent equal to the tile size in pixels), and its
 * attributes for filters, expressions and interactivity.
 */
public record RenderFeature(long id, byte[] wkbInPixelCoords, Map<String, Object> attributes) {
}
