package io.tessera.server.maps;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tessera.server.maps.MapConfig.Attributes;
import io.tessera.server.maps.MapConfig.Layer;
import io.tessera.server.maps.MapConfig.LayerType;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Validates a layergroup config with Windshaft's messages (maps-api.md §1.1) and reads it into a
 * {@link MapConfig}. Dataviews, analyses other than {@code source}, aggregation, torque and named layers
 * are refused with a clear 400 (decisions: maps scope). A {@code source} analysis is read as its query,
 * which is all CARTO.js v4 needs.
 */
public final class MapConfigParser {
    static final String DEFAULT_GEOM = "the_geom_webmercator";
    private static final String MIXING = "The `mapnik` or `cartodb` layers must be consistent: `cartocss` option is "
            + "either present or voided in all layers. Mixing is not allowed.";

    private MapConfigParser() {
    }

    public static MapConfig parse(JsonNode input) {
        if (input == null || !input.isObject()) {
            throw MapsErrors.mapconfig("Missing layers array from layergroup config");
        }
        ObjectNode json = withoutCredentials((ObjectNode) input);
        String version = json.path("version").asText("1.0.0");
        checkVersion(version);
        JsonNode layersNode = json.get("layers");
        if (layersNode == null || !layersNode.isArray()) {
            throw MapsErrors.mapconfig("Missing layers array from layergroup config");
        }
        refuseNonEmpty(json, "dataviews", "Dataviews are not supported by this server");
        Map<String, String> sources = analysesSources(json.get("analyses"));
        Map<String, Integer> buffer = bufferSize(json.get("buffersize"));
        List<Layer> layers = new ArrayList<>();
        Map<LayerType, Integer> perType = new EnumMap<>(LayerType.class);
        for (int i = 0; i < layersNode.size(); i++) {
            layers.add(layer(layersNode.get(i), i, perType, sources));
        }
        List<Layer> mapnik = layers.stream().filter(Layer::isMapnik).toList();
        long styled = mapnik.stream().filter(l -> l.cartocss() != null).count();
        if (styled != 0 && styled != mapnik.size()) {
            throw MapsErrors.mapconfig(MIXING);
        }
        if (mapnik.stream().mapToInt(Layer::vectorExtent).distinct().count() > 1) {
            throw MapsErrors.mapconfig("Multiple extent values in mapConfig");
        }
        return new MapConfig(version, List.copyOf(layers), buffer, json);
    }

    /**
     * A copy without {@code api_key}, {@code map_key} and {@code client}: credentials and telemetry are never part
     * of a config, template or placeholder values that get hashed or stored (security 10).
     */
    static ObjectNode withoutCredentials(ObjectNode input) {
        ObjectNode copy = input.deepCopy();
        copy.remove("api_key");
        copy.remove("map_key");
        copy.remove("client");
        return copy;
    }

    private static void checkVersion(String v) {
        String[] p = v.split("\\.");
        boolean ok = p.length == 3;
        int[] n = new int[3];
        for (int i = 0; ok && i < 3; i++) {
            ok = p[i].matches("\\d{1,4}");
            n[i] = ok ? Integer.parseInt(p[i]) : 0;
        }
        if (!ok || n[0] != 1 || n[1] > 8 || (n[1] == 8 && n[2] > 0)) {
            throw MapsErrors.mapconfig("Unsupported layergroup configuration version " + v);
        }
    }

    private static void refuseNonEmpty(ObjectNode json, String key, String message) {
        JsonNode n = json.get(key);
        if (n != null && !n.isNull() && n.size() > 0) {
            throw MapsErrors.mapconfig(message);
        }
    }

    /** {@code analyses} of type {@code source} are plain queries; any other type is out of scope. */
    private static Map<String, String> analysesSources(JsonNode analyses) {
        Map<String, String> out = new LinkedHashMap<>();
        if (analyses == null || analyses.isNull()) {
            return out;
        }
        if (!analyses.isArray()) {
            throw MapsErrors.mapconfig("analyses must be an array");
        }
        for (JsonNode a : analyses) {
            if (!"source".equals(a.path("type").asText()) || !a.path("params").path("query").isTextual()) {
                throw MapsErrors.error(400, "analysis", null,
                        "Analyses of type '" + a.path("type").asText() + "' are not supported by this server", null);
            }
            out.put(a.path("id").asText(), a.path("params").path("query").asText());
        }
        return out;
    }

    private static Map<String, Integer> bufferSize(JsonNode n) {
        Map<String, Integer> out = new LinkedHashMap<>();
        if (n == null || n.isNull()) {
            return out;
        }
        if (!n.isObject()) {
            throw MapsErrors.mapconfig("Buffer size must be an object of numbers per format");
        }
        n.properties().forEach(e -> {
            if (!e.getValue().isNumber() || e.getValue().asInt() < 0 || e.getValue().asInt() > 1024) {
                throw MapsErrors.mapconfig("Buffer size of format \"" + e.getKey() + "\" must be a number");
            }
            out.put(e.getKey(), e.getValue().asInt());
        });
        return out;
    }

    private static Layer layer(JsonNode l, int i, Map<LayerType, Integer> perType, Map<String, String> sources) {
        if (l == null || !l.isObject()) {
            throw MapsErrors.mapconfig("Missing options from layer " + i + " of layergroup config");
        }
        String typeName = l.path("type").asText("mapnik");
        LayerType type = switch (typeName) {
            case "mapnik", "cartodb" -> LayerType.MAPNIK;
            case "plain" -> LayerType.PLAIN;
            case "http" -> LayerType.HTTP;
            default -> throw MapsErrors.mapconfig("Unsupported layer type '" + typeName + "' (layer " + i
                    + "); this server draws mapnik, cartodb, plain and http layers");
        };
        JsonNode o = l.get("options");
        if (o == null || !o.isObject()) {
            throw MapsErrors.mapconfig("Missing options from layer " + i + " of layergroup config");
        }
        int n = perType.merge(type, 1, Integer::sum) - 1;
        String id = l.hasNonNull("id") ? l.get("id").asText()
                : (type == LayerType.MAPNIK ? "layer" : type.wire() + "-layer") + n;
        MapsErrors.LayerRef ref = new MapsErrors.LayerRef(id, i, type.wire());
        return switch (type) {
            case MAPNIK -> mapnik(o, i, id, ref, sources);
            case PLAIN -> new Layer(i, id, type, null, null, null, List.of(), null, null, 0, 0, null, null,
                    text(o, "color"), null);
            case HTTP -> {
                String url = text(o, "urlTemplate");
                if (url == null || !(url.startsWith("http://") || url.startsWith("https://"))) {
                    throw MapsErrors.error(400, "layer", null, "Missing or invalid urlTemplate for http layer " + i, ref);
                }
                yield new Layer(i, id, type, null, null, null, List.of(), null, null, 0, 0, null, null, null, url);
            }
        };
    }

    private static Layer mapnik(JsonNode o, int i, String id, MapsErrors.LayerRef ref, Map<String, String> sources) {
        String sql = text(o, "sql");
        if (sql == null && o.path("source").hasNonNull("id")) {
            sql = sources.get(o.path("source").path("id").asText());
            if (sql == null) {
                throw MapsErrors.error(400, "layer", null, "Missing analysis node.id=\"" + o.path("source").path("id").asText()
                        + "\" for layer " + i, ref);
            }
        }
        if (sql == null || sql.isBlank()) {
            throw MapsErrors.error(400, "layer", null, "Missing sql for layer " + i + " options", ref);
        }
        sql = sql.strip().replaceAll(";+\\s*$", "");
        String cartocss = text(o, "cartocss");
        String cartocssVersion = text(o, "cartocss_version");
        if (cartocss != null && cartocssVersion == null) {
            throw MapsErrors.error(400, "layer", null, "Missing cartocss_version for layer " + i + " options", ref);
        }
        if (cartocss != null && cartocss.isBlank()) {
            throw MapsErrors.error(400, "layer", null, "style" + i + ": CartoCSS is empty", ref);
        }
        JsonNode agg = o.get("aggregation");
        if (agg != null && !agg.isNull() && !(agg.isBoolean() && !agg.asBoolean())) {
            throw MapsErrors.error(400, "layer", null, "Aggregation is not supported by this server (layer " + i + ")", ref);
        }
        if ("raster".equals(text(o, "geom_type"))) {
            throw MapsErrors.error(400, "layer", null, "Raster layers are not supported by this server (layer " + i + ")", ref);
        }
        if (o.hasNonNull("sql_wrap")) {
            throw MapsErrors.error(400, "layer", null, "sql_wrap is not supported by this server (layer " + i + ")", ref);
        }
        List<String> interactivity = new ArrayList<>();
        JsonNode inter = o.get("interactivity");
        if (inter != null && inter.isArray()) {
            inter.forEach(c -> interactivity.add(c.asText()));
        } else if (inter != null && inter.isTextual() && !inter.asText().isBlank()) {
            for (String c : inter.asText().split(",")) {
                interactivity.add(c.strip());
            }
        }
        Attributes attributes = null;
        JsonNode a = o.get("attributes");
        if (a != null && a.isObject()) {
            List<String> cols = new ArrayList<>();
            a.path("columns").forEach(c -> cols.add(c.asText()));
            attributes = new Attributes(a.path("id").asText("cartodb_id"), List.copyOf(cols));
        }
        String geom = text(o, "geom_column");
        int srid = o.path("srid").asInt(3857);
        int extent = o.path("vector_extent").asInt(4096);
        if (extent < 256 || extent > 65536) {
            throw MapsErrors.error(400, "layer", null, "vector_extent must be between 256 and 65536 (layer " + i + ")", ref);
        }
        return new Layer(i, id, LayerType.MAPNIK, sql, cartocss, cartocssVersion, List.copyOf(interactivity), attributes,
                geom == null ? DEFAULT_GEOM : geom, srid, extent, intOrNull(o, "minzoom"), intOrNull(o, "maxzoom"), null, null);
    }

    private static String text(JsonNode o, String key) {
        JsonNode n = o.get(key);
        return n == null || n.isNull() ? null : n.asText();
    }

    private static Integer intOrNull(JsonNode o, String key) {
        JsonNode n = o.get(key);
        return n == null || !n.canConvertToInt() ? null : n.asInt();
    }
}
