package io.tessera.server.maps.render;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * UTFGrid ({@code .grid.json}) as Mapnik encodes it for Windshaft: the features are drawn without
 * anti-aliasing in a hit grid (later features win), sampled every {@code resolution} pixels from the top-left
 * of each cell; each distinct feature gets the next code point from 32 in row-major order of first
 * appearance (skipping {@code "} and {@code \}), "" standing for no feature; {@code data} holds the
 * interactivity columns of each feature by key (the feature id).
 */
public final class UtfGridRenderer {
    private static final JsonFactory JSON = new JsonFactory();
    private static final int LAST_CODE = 0xD7FF;

    static {
        Headless.ensure();
    }

    private UtfGridRenderer() {
    }

    /** A grid for styles whose rules do not depend on zoom: zoom filters are not applied. */
    public static byte[] render(int size, int resolution, List<RenderLayer> layers, List<String> interactivity) {
        return render(size, resolution, CartoZoom.ANY, layers, interactivity);
    }

    /** A grid for one tile at {@code zoom} (zoom filters apply as in the PNG). */
    public static byte[] render(int size, int resolution, int zoom, List<RenderLayer> layers, List<String> interactivity) {
        if (resolution < 1 || size % resolution != 0) {
            throw new IllegalArgumentException("resolution must divide the tile size");
        }
        int cells = size / resolution;
        List<RenderFeature> features = new ArrayList<>();
        // Drawn at full size and sampled (drawing at 1/resolution would widen thin lines to a whole cell).
        BufferedImage hits = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = hits.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            FeaturePainter painter = new FeaturePainter(g, 1, new CollisionIndex());
            for (RenderLayer layer : layers) {
                TileRenderer.drawLayer(layer, zoom, (symbolizers, feature, geom, attrs) -> {
                    features.add(feature);
                    painter.solid(new Color(features.size()));
                    for (Symbolizer s : symbolizers) {
                        painter.paint(s, geom, attrs);
                    }
                });
            }
        } finally {
            g.dispose();
        }
        return encode(hits, cells, resolution, features, interactivity);
    }

    private static byte[] encode(BufferedImage hits, int cells, int resolution, List<RenderFeature> features,
            List<String> interactivity) {
        Map<String, Integer> codes = new LinkedHashMap<>();
        Map<String, RenderFeature> byKey = new LinkedHashMap<>();
        List<String> rows = new ArrayList<>(cells);
        int next = 32;
        for (int y = 0; y < cells; y++) {
            StringBuilder row = new StringBuilder(cells);
            for (int x = 0; x < cells; x++) {
                int index = hits.getRGB(x * resolution, y * resolution) & 0xFFFFFF;
                String key = index == 0 ? "" : Long.toString(features.get(index - 1).id());
                Integer code = codes.get(key);
                if (code == null && next >= LAST_CODE) {
                    // Out of code points below the surrogates (tens of thousands of features in one tile).
                    key = "";
                    code = codes.get(key);
                }
                if (code == null) {
                    if (next == 34 || next == 92) {
                        next++;
                    }
                    code = next++;
                    codes.put(key, code);
                    if (!key.isEmpty()) {
                        byKey.put(key, features.get(index - 1));
                    }
                }
                row.appendCodePoint(code);
            }
            rows.add(row.toString());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator j = JSON.createGenerator(out)) {
            j.writeStartObject();
            j.writeArrayFieldStart("grid");
            for (String r : rows) {
                j.writeString(r);
            }
            j.writeEndArray();
            j.writeArrayFieldStart("keys");
            for (String k : codes.keySet()) {
                j.writeString(k);
            }
            j.writeEndArray();
            j.writeObjectFieldStart("data");
            for (Map.Entry<String, RenderFeature> e : byKey.entrySet()) {
                j.writeObjectFieldStart(e.getKey());
                Map<String, Object> attrs = e.getValue().attributes() == null ? Map.of() : e.getValue().attributes();
                for (String field : interactivity) {
                    j.writeFieldName(field);
                    writeValue(j, attrs.get(field));
                }
                j.writeEndObject();
            }
            j.writeEndObject();
            j.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void writeValue(JsonGenerator j, Object v) throws IOException {
        switch (v) {
            case null -> j.writeNull();
            case Integer i -> j.writeNumber(i);
            case Long l -> j.writeNumber(l);
            case Short s -> j.writeNumber(s);
            case Double d -> j.writeNumber(d);
            case Float f -> j.writeNumber(f);
            case java.math.BigDecimal b -> j.writeNumber(b);
            case java.math.BigInteger b -> j.writeNumber(b);
            case Boolean b -> j.writeBoolean(b);
            default -> j.writeString(v.toString());
        }
    }
}
