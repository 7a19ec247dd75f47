package io.tessera.server.maps;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tessera.server.http.Json;
import io.tessera.server.maps.MapConfig.Layer;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/**
 * The instantiation answer (maps-api.md §1.2): {@code layergroupid}, {@code metadata} with per-layer
 * {@code meta} and {@code tilejson}, the root {@code tilejson} and {@code url}, and {@code last_updated}.
 * No {@code cdn_url}: Tessera serves its own tiles.
 */
final class LayergroupResponse {
    private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private LayergroupResponse() {
    }

    /**
     * @param base   {@code …/api/v1/map}
     * @param suffix query string for every generated URL ({@code ?api_key=…}), or empty
     * @param warnings per layer index, CartoCSS warnings of the renderer (may be empty)
     */
    static ObjectNode build(String base, LayergroupToken token, MapConfig config, MapPlan plan, long lastUpdatedMillis,
                            String suffix, Map<Integer, List<String>> warnings) {
        ObjectNode out = Json.object();
        String lg = base + "/" + token;
        out.put("layergroupid", token.toString());
        ObjectNode metadata = out.putObject("metadata");
        ArrayNode layers = metadata.putArray("layers");
        boolean vectorOnly = config.vectorOnly();
        for (Layer l : config.layers()) {
            ObjectNode o = layers.addObject();
            o.put("type", l.type().wire());
            o.put("id", l.id());
            ObjectNode meta = o.putObject("meta");
            ObjectNode tj = o.putObject("tilejson");
            String prefix = lg + "/" + l.id() + "/{z}/{x}/{y}";
            if (l.isMapnik()) {
                LayerPlan p = plan.of(l);
                meta.putObject("stats").put("estimatedFeatureCount", p == null ? -1 : p.estimatedRows());
                if (l.cartocss() != null) {
                    meta.put("cartocss", l.cartocss());
                    meta.putObject("cartocss_meta").putArray("rules");
                    List<String> w = warnings.getOrDefault(l.index(), List.of());
                    if (!w.isEmpty()) {
                        ArrayNode a = meta.putArray("cartocss_warnings");
                        w.forEach(a::add);
                    }
                }
                tj.set("vector", tileJson(prefix + ".mvt" + suffix));
                if (!vectorOnly) {
                    ObjectNode raster = tileJson(prefix + ".png" + suffix);
                    if (!l.interactivity().isEmpty()) {
                        raster.putArray("grids").add(prefix + ".grid.json" + suffix);
                    }
                    tj.set("raster", raster);
                }
            } else {
                tj.set("raster", tileJson(prefix + ".png" + suffix));
            }
        }
        metadata.putObject("dataviews");
        metadata.putArray("analyses");
        ObjectNode tilejson = metadata.putObject("tilejson");
        ObjectNode url = metadata.putObject("url");
        String root = lg + "/{z}/{x}/{y}";
        if (config.hasMapnik()) {
            tilejson.set("vector", tileJson(root + ".mvt" + suffix));
            url.putObject("vector").put("urlTemplate", root + ".mvt" + suffix).putArray("subdomains");
        }
        if (!vectorOnly) {
            tilejson.set("raster", tileJson(root + ".png" + suffix));
            url.putObject("raster").put("urlTemplate", root + ".png" + suffix).putArray("subdomains");
        }
        out.put("last_updated", ISO.format(Instant.ofEpochMilli(lastUpdatedMillis)));
        return out;
    }

    private static ObjectNode tileJson(String url) {
        ObjectNode o = Json.object();
        o.put("tilejson", "2.2.0");
        o.putArray("tiles").add(url);
        return o;
    }
}
