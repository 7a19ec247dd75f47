package io.tessera.server.maps;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A validated layergroup ("MapConfig", maps-api.md §1.1): its layers in order, the buffer size per
 * format, and the JSON it was read from (with {@code api_key}/{@code client} stripped), which is what
 * gets hashed and stored.
 */
public record MapConfig(String version, List<Layer> layers, Map<String, Integer> bufferSize, ObjectNode json) {

    /** Layer types Tessera draws; {@code cartodb} is read as {@link #MAPNIK}. */
    public enum LayerType {
        MAPNIK("mapnik"), PLAIN("plain"), HTTP("http");

        private final String wire;

        LayerType(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }
    }

    /** {@code options.attributes}: the id column and the columns {@code /attributes/:fid} exposes. */
    public record Attributes(String id, List<String> columns) {
    }

    /**
     * One layer. For mapnik layers {@code sql} is set and {@code geomColumn}/{@code srid} say where the
     * geometry is; {@code cartocss} is null for vector-only layers.
     */
    public record Layer(int index, String id, LayerType type, String sql, String cartocss, String cartocssVersion,
                        List<String> interactivity, Attributes attributes, String geomColumn, int srid,
                        int vectorExtent, Integer minzoom, Integer maxzoom, String color, String urlTemplate) {

        public MapsErrors.LayerRef ref() {
            return new MapsErrors.LayerRef(id, index, type.wire());
        }

        public boolean isMapnik() {
            return type == LayerType.MAPNIK;
        }

        public boolean visibleAt(int z) {
            return (minzoom == null || z >= minzoom) && (maxzoom == null || z <= maxzoom);
        }
    }

    public List<Layer> mapnikLayers() {
        return layers.stream().filter(Layer::isMapnik).toList();
    }

    public boolean hasMapnik() {
        return layers.stream().anyMatch(Layer::isMapnik);
    }

    /** A map whose mapnik layers carry no CartoCSS: only {@code .mvt} tiles exist for it. */
    public boolean vectorOnly() {
        return hasMapnik() && mapnikLayers().stream().allMatch(l -> l.cartocss() == null);
    }

    public int bufferPx(String format) {
        return Optional.ofNullable(bufferSize.get(format)).orElse(64);
    }

    public int vectorExtent() {
        return mapnikLayers().stream().mapToInt(Layer::vectorExtent).findFirst().orElse(4096);
    }

    /** A layer by index, explicit id or generated id. */
    public Optional<Layer> layer(String ref) {
        for (Layer l : layers) {
            if (l.id().equals(ref)) {
                return Optional.of(l);
            }
        }
        if (ref.matches("\\d{1,4}")) {
            int i = Integer.parseInt(ref);
            if (i < layers.size()) {
                return Optional.of(layers.get(i));
            }
        }
        return Optional.empty();
    }
}
