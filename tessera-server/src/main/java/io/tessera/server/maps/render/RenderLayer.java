package io.tessera.server.maps.render;

import java.util.List;

/** One map layer to render: its compiled style and its features, drawn in list order. */
public record RenderLayer(Stylesheet style, List<RenderFeature> features) {
}
