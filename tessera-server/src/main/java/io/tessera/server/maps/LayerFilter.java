package io.tessera.server.maps;

import io.tessera.server.maps.MapConfig.Layer;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The {@code :layer} segment of a tile URL (maps-api.md §3.1): none means every mapnik layer; {@code all},
 * a type alias, an index, an explicit or generated id, or a comma list of them. Layers come back in
 * layergroup order; {@link #key} names the selection for cache keys.
 */
record LayerFilter(List<Layer> layers, String key) {

    static LayerFilter parse(MapConfig config, String segment) {
        if (segment == null || segment.equals("mapnik")) {
            return of(config.mapnikLayers());
        }
        if (segment.equals("all")) {
            return of(config.layers());
        }
        if (segment.equals("plain") || segment.equals("http")) {
            return of(config.layers().stream().filter(l -> l.type().wire().equals(segment)).toList());
        }
        String[] parts = segment.split(",");
        TreeMap<Integer, Layer> picked = new TreeMap<>();
        for (String p : parts) {
            Layer l = config.layer(p.strip()).orElse(null);
            if (l == null) {
                throw MapsErrors.error(400, "tile", null, parts.length == 1 && p.matches("\\d+")
                        ? "Layer '" + p + "' not found in layergroup" : "Invalid layer filtering", null);
            }
            picked.put(l.index(), l);
        }
        return of(new ArrayList<>(picked.values()));
    }

    private static LayerFilter of(List<Layer> layers) {
        StringBuilder k = new StringBuilder();
        layers.forEach(l -> k.append(k.isEmpty() ? "" : ",").append(l.index()));
        return new LayerFilter(List.copyOf(layers), k.toString());
    }

    List<Layer> mapnik() {
        return layers.stream().filter(Layer::isMapnik).toList();
    }
}
