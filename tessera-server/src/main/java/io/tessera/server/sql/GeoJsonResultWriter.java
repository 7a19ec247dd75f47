package io.tessera.server.sql;

import com.fasterxml.jackson.core.JsonGenerator;
import io.tessera.server.http.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * {@code format=geojson} (sql-api.md §2.4): a FeatureCollection streamed feature by feature. The last
 * statement is wrapped so PostGIS writes each geometry ({@code ST_AsGeoJSON(the_geom, dp)}) into
 * {@link #GEOMETRY_COLUMN}; properties are every other column but {@code the_geom} and
 * {@code the_geom_webmercator}.
 */
final class GeoJsonResultWriter implements ResultWriter {
    static final String GEOMETRY_COLUMN = "__tessera_geojson";
    private static final Set<String> NOT_PROPERTIES = Set.of("the_geom", "the_geom_webmercator", GEOMETRY_COLUMN);

    private final SqlResponse response;
    private final ValueWriter values;
    private final String callback;
    private final int inlineRows;
    private static final byte[] FEATURE = JsonRowEncoder.ascii("{\"type\":\"Feature\",\"geometry\":");
    private static final byte[] NEXT_FEATURE = JsonRowEncoder.ascii(",{\"type\":\"Feature\",\"geometry\":");
    private static final byte[] PROPERTIES = JsonRowEncoder.ascii(",\"properties\":{");
    private static final byte[] END_FEATURE = JsonRowEncoder.ascii("}}");
    private JsonGenerator g;
    private JsonRowEncoder features;
    private boolean first = true;

    /** {@code inlineRows}: rows written before a reader thread starts reading ahead (one cursor fetch). */
    GeoJsonResultWriter(SqlResponse response, ValueWriter values, String callback, int inlineRows) {
        this.response = response;
        this.values = values;
        this.callback = callback;
        this.inlineRows = inlineRows;
    }

    /** Wraps the statement whose rows become features. */
    static String wrap(String sql, int dp) {
        return "SELECT *, ST_AsGeoJSON(the_geom, " + dp + ") AS " + GEOMETRY_COLUMN + " FROM (" + sql + ") AS foo";
    }

    @Override
    public long consume(ResultSet rs, ResultColumns columns) throws SQLException, IOException {
        int geom = columns.indexOf(GEOMETRY_COLUMN);
        long n = 0;
        if (geom < 0) {
            while (rs.next()) { // an earlier statement of the script: not part of the collection
                n++;
            }
            return n;
        }
        List<Integer> props = new ArrayList<>();
        for (int i : columns.visible()) {
            if (!NOT_PROPERTIES.contains(columns.column(i).name())) {
                props.add(i);
            }
        }
        int[] properties = props.stream().mapToInt(Integer::intValue).toArray();
        int[] read = IntStream.concat(IntStream.of(properties), IntStream.of(geom)).toArray();
        JsonRowEncoder.Members members = new JsonRowEncoder.Members(columns, properties);
        return RowPipe.drain(rs, columns, read, values, inlineRows, row -> {
            begin();
            features.raw(first ? FEATURE : NEXT_FEATURE);
            first = false;
            Object geojson = row[geom];
            if (geojson == null) {
                features.raw(JsonRowEncoder.NULL);
            } else {
                features.raw(geojson instanceof byte[] b ? b : ((String) geojson).getBytes(StandardCharsets.UTF_8));
            }
            features.raw(PROPERTIES);
            members.write(features, row);
            features.raw(END_FEATURE);
            features.flushIfFull();
        });
    }

    /** A feature's properties: every visible column but the geometries, as an object. */
    static void writeProperties(JsonGenerator g, ValueWriter values, ResultSet rs, ResultColumns columns)
            throws SQLException, IOException {
        g.writeStartObject();
        for (int i : columns.visible()) {
            Column c = columns.column(i);
            if (!NOT_PROPERTIES.contains(c.name())) {
                g.writeFieldName(c.name());
                values.write(g, rs, i, c);
            }
        }
        g.writeEndObject();
    }

    private void begin() throws IOException {
        if (g != null) {
            return;
        }
        g = response.startJson(callback);
        g.writeRaw("{\"type\": \"FeatureCollection\", \"features\": [");
        g.flush();
        features = new JsonRowEncoder(response.start(), values);
    }

    @Override
    public void finish(QueryRunner.Outcome outcome, double seconds, Notices notices) throws IOException {
        begin();
        end(null);
    }

    @Override
    public void failMidStream(String message, double seconds, Notices notices) throws IOException {
        end(message);
    }

    private void end(String error) throws IOException {
        features.flush();
        g.writeRaw(']');
        if (error != null) {
            g.writeRaw(",\"error\":" + Json.errorList(error).get("error").toString());
        }
        g.writeRaw('}');
        if (callback != null) {
            g.writeRaw(");");
        }
        g.close();
    }

    @Override
    public boolean started() {
        return response.started();
    }
}
