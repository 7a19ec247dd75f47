package io.tessera.server.sql;

import com.fasterxml.jackson.core.JsonGenerator;
import io.tessera.server.http.Json;
import java.io.IOException;
import java.io.StringWriter;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code format=topojson} (sql-api.md §2.5): the rows with a geometry become one {@link Topology}, each
 * row an object keyed by its index with its other columns as {@code properties}. A topology needs every
 * geometry before its first arc can be written, so the rows are held in memory, at most
 * {@link ExportLimits#maxRows()} of them (decisions: caps for topojson/svg); past that the request fails
 * before anything is sent.
 */
final class TopoJsonResultWriter implements ResultWriter {
    private final SqlResponse response;
    private final ValueWriter values;
    private final String callback;
    private final int maxRows;
    private final Topology topology = new Topology();
    private final List<String> properties = new ArrayList<>();

    TopoJsonResultWriter(SqlResponse response, ValueWriter values, String callback, int maxRows) {
        this.response = response;
        this.values = values;
        this.callback = callback;
        this.maxRows = maxRows;
    }

    /** The GeoJSON wrapping, without null geometries, reading one row past the cap to notice it. */
    static String wrap(String sql, int dp, int maxRows) {
        return GeoJsonResultWriter.wrap(sql, dp) + " WHERE the_geom IS NOT NULL LIMIT " + (maxRows + 1L);
    }

    /** The error past the row cap of the formats built in memory. */
    static String tooManyRows(String format, int maxRows) {
        return format + " output is limited to " + maxRows + " rows on this server "
                + "(TESSERA_EXPORT_MAX_ROWS); ask for fewer rows or use format=geojson";
    }

    @Override
    public long consume(ResultSet rs, ResultColumns columns) throws SQLException, IOException {
        int geom = columns.indexOf(GeoJsonResultWriter.GEOMETRY_COLUMN);
        long n = 0;
        while (rs.next()) {
            n++;
            if (geom < 0) {
                continue; // an earlier statement of the script
            }
            if (properties.size() == maxRows) {
                throw SqlApiErrors.badRequest(tooManyRows("topojson", maxRows));
            }
            topology.add(Json.MAPPER.readTree(rs.getString(geom)));
            StringWriter props = new StringWriter();
            try (JsonGenerator g = Json.FACTORY.createGenerator(props)) {
                GeoJsonResultWriter.writeProperties(g, values, rs, columns);
            }
            properties.add(props.toString());
        }
        return n;
    }

    @Override
    public void finish(QueryRunner.Outcome outcome, double seconds, Notices notices) throws IOException {
        topology.build();
        JsonGenerator g = response.startJson(callback);
        g.writeStartObject();
        g.writeStringField("type", "Topology");
        topology.writeTransform(g);
        g.writeObjectFieldStart("objects");
        for (int i = 0; i < properties.size(); i++) {
            g.writeObjectFieldStart(Integer.toString(i));
            topology.writeGeometry(g, i);
            g.writeFieldName("properties");
            g.writeRawValue(properties.get(i));
            g.writeEndObject();
        }
        g.writeEndObject();
        topology.writeArcs(g);
        g.writeEndObject();
        if (callback != null) {
            g.writeRaw(");");
        }
        g.close();
    }

    @Override
    public void failMidStream(String message, double seconds, Notices notices) {
        throw new IllegalStateException("a topology is written only after its last row");
    }

    @Override
    public boolean started() {
        return response.started();
    }
}
