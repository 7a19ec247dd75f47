package io.tessera.server.imports;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.server.http.Json;
import java.io.IOException;
import java.io.Reader;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * GeoJSON (a FeatureCollection, a Feature or a bare geometry) straight into COPY in two streaming passes:
 * the first collects property names and guesses their types, the second writes each feature's geometry
 * as EWKB and its properties. One feature is in memory at a time. JSON that is not GeoJSON fails with
 * 3007; a feature whose geometry cannot be read keeps its row without geometry and is counted.
 */
public final class GeoJsonLoader {
    private static final Set<String> GEOMETRY_TYPES = Set.of("Point", "LineString", "Polygon", "MultiPoint",
            "MultiLineString", "MultiPolygon", "GeometryCollection");

    /** Receives each feature of a pass. */
    private interface FeatureSink {
        void feature(JsonNode geometry, JsonNode properties) throws IOException, ImportFailure;
    }

    private GeoJsonLoader() {
    }

    public static StagedTable load(TextSource src, String proposedName, LoadContext ctx)
            throws IOException, SQLException, ImportFailure {
        Map<String, TypeGuesser> keys = new LinkedHashMap<>();
        try {
            walk(src, (g, props) -> {
                checkGeometry(g);
                if (props != null) {
                    props.properties().forEach(e -> keys.computeIfAbsent(e.getKey(), k -> new TypeGuesser())
                            .offer(text(e.getValue()) == null ? "" : text(e.getValue()), e.getValue().isContainerNode()));
                }
            });
        } catch (java.nio.charset.CharacterCodingException e) {
            if (!src.fallback()) {
                throw new ImportFailure(ImportErrorCodes.ENCODING, "cannot decode the file");
            }
            keys.clear();
            return load(src, proposedName, ctx);
        }
        List<String> raw = new ArrayList<>(keys.keySet());
        List<String> names = TableLayout.columnNames(raw, true);
        List<TableLayout.Col> cols = new ArrayList<>();
        List<ColumnType> types = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            ColumnType t = ctx.options().typeGuessing() ? keys.get(raw.get(i)).type() : ColumnType.TEXT;
            types.add(t);
            cols.add(new TableLayout.Col(names.get(i), t));
        }
        TableLayout layout = TableLayout.of(cols, true);
        String table = ctx.stagingName(1);
        layout.create(ctx.owner(), ctx.stagingSchema(), table);
        long[] invalid = {0};
        try (CopyRows copy = new CopyRows(ctx.owner(), layout.copySql(ctx.stagingSchema(), table))) {
            walk(src, (g, props) -> {
                String geom;
                try {
                    geom = Ewkb.fromGeoJson(g);
                } catch (Ewkb.InvalidGeometry e) {
                    geom = null;
                    invalid[0]++;
                }
                copy.value(geom);
                for (int i = 0; i < raw.size(); i++) {
                    JsonNode v = props == null ? null : props.get(raw.get(i));
                    String s = text(v);
                    ColumnType t = types.get(i);
                    copy.value(s == null || (t != ColumnType.TEXT && s.isBlank()) ? null : t.copyValue(s));
                }
                copy.endRow();
                if (copy.rows() % 50_000 == 0) {
                    ctx.progress().rows(copy.rows());
                }
            });
            copy.finish();
            ctx.progress().rows(copy.rows());
            return new StagedTable(table, proposedName, copy.rows(), invalid[0], 0);
        }
    }

    private static void checkGeometry(JsonNode g) throws ImportFailure {
        if (g != null && !g.isNull() && "GeometryCollection".equals(g.path("type").asText())) {
            throw new ImportFailure(ImportErrorCodes.GEOMETRY_COLLECTION, "GeometryCollection geometries are not supported");
        }
    }

    private static String text(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return null;
        }
        return v.isValueNode() ? v.asText() : v.toString();
    }

    /** Streams the features of the file to the sink; anything but GeoJSON fails with 3007. */
    private static void walk(TextSource src, FeatureSink sink) throws IOException, ImportFailure {
        try (Reader r = src.open(); JsonParser p = Json.FACTORY.createParser(r)) {
            p.setCodec(Json.MAPPER);
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw notGeoJson("the top level is not a JSON object");
            }
            String type = null;
            boolean sawFeatures = false;
            JsonNode geometry = null;
            JsonNode properties = null;
            JsonNode coordinates = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                switch (field) {
                    case "type" -> type = p.getValueAsString();
                    case "features" -> {
                        if (t != JsonToken.START_ARRAY) {
                            throw notGeoJson("features is not an array");
                        }
                        sawFeatures = true;
                        while (p.nextToken() == JsonToken.START_OBJECT) {
                            JsonNode f = p.readValueAsTree();
                            if (!"Feature".equals(f.path("type").asText())) {
                                throw notGeoJson("a member of features is not a Feature");
                            }
                            sink.feature(f.get("geometry"), f.get("properties"));
                        }
                    }
                    case "geometry" -> geometry = p.readValueAsTree();
                    case "properties" -> properties = p.readValueAsTree();
                    case "coordinates", "geometries" -> coordinates = p.readValueAsTree();
                    default -> p.skipChildren();
                }
            }
            if ("FeatureCollection".equals(type) && sawFeatures) {
                return;
            }
            if ("Feature".equals(type)) {
                sink.feature(geometry, properties);
                return;
            }
            if (type != null && GEOMETRY_TYPES.contains(type) && coordinates != null) {
                com.fasterxml.jackson.databind.node.ObjectNode g = Json.object().put("type", type);
                g.set(type.equals("GeometryCollection") ? "geometries" : "coordinates", coordinates);
                sink.feature(g, null);
                return;
            }
            throw notGeoJson("no FeatureCollection, Feature or geometry at the top level");
        } catch (JsonProcessingException e) {
            throw new ImportFailure(ImportErrorCodes.INVALID_GEOJSON, "invalid JSON: " + e.getOriginalMessage());
        }
    }

    private static ImportFailure notGeoJson(String why) {
        return new ImportFailure(ImportErrorCodes.INVALID_GEOJSON, "JSON may not be valid GeoJSON: " + why);
    }
}
