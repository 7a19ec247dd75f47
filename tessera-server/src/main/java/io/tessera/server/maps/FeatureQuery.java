package io.tessera.server.maps;

import io.tessera.server.db.AdminDatabase;
import io.tessera.server.maps.MapConfig.Layer;
import io.tessera.server.maps.render.RenderFeature;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a layer's features for the raster renderer: geometries already clipped and transformed to output
 * pixels by PostGIS (y down), plus the columns styles, labels and interactivity may read.
 */
final class FeatureQuery {
    private static final String ID = "cartodb_id";

    private FeatureQuery() {
    }

    /** Where the output pixels are: a tile ({@code ST_AsMVTGeom} with extent = size) or any box ({@code ST_Affine}). */
    record Frame(String filterBox3857, int z, String pixelSql) {
        static Frame tile(TileCoord t, int size, int bufferPx) {
            String env = t.envelopeSql(0);
            String buffered = t.envelopeSql(bufferPx / (double) size);
            return new Frame(buffered, t.z(), "public.ST_AsMVTGeom(%s, " + env + ", " + size + ", " + bufferPx + ", true)");
        }

        /** {@code bbox} = minx, miny, maxx, maxy in 3857; {@code bufferPx} around it. */
        static Frame box(double[] bbox, int width, int height, int bufferPx, int z) {
            double sx = width / (bbox[2] - bbox[0]);
            double sy = height / (bbox[3] - bbox[1]);
            double bx = bufferPx / sx;
            double by = bufferPx / sy;
            String buffered = "public.ST_MakeEnvelope(" + (bbox[0] - bx) + "," + (bbox[1] - by) + "," + (bbox[2] + bx) + ","
                    + (bbox[3] + by) + ",3857)";
            return new Frame(buffered, z, "public.ST_Affine(public.ST_ClipByBox2D(%s, " + buffered + "), " + sx + ", 0, 0, " + (-sy)
                    + ", " + (-bbox[0] * sx) + ", " + (bbox[3] * sy) + ")");
        }
    }

    static List<RenderFeature> read(Connection c, Layer l, LayerPlan plan, Frame frame, List<String> extraColumns)
            throws SQLException {
        Set<String> cols = new LinkedHashSet<>(plan.mvtProperties(l.geomColumn()));
        extraColumns.stream().filter(plan::hasColumn).forEach(cols::add);
        String g = "cdbq." + AdminDatabase.quoteIdent(l.geomColumn());
        String g3857 = l.srid() == 3857 ? g : "public.ST_Transform(" + g + ",3857)";
        String box = l.srid() == 3857 ? frame.filterBox3857() : "public.ST_Transform(" + frame.filterBox3857() + "," + l.srid() + ")";
        StringBuilder sql = new StringBuilder("SELECT * FROM (SELECT public.ST_AsBinary(")
                .append(frame.pixelSql().formatted(g3857)).append(") AS tessera_px");
        for (String col : cols) {
            sql.append(", cdbq.").append(AdminDatabase.quoteIdent(col));
        }
        sql.append(" FROM (").append(SqlTokens.substitute(l.sql(), frame.filterBox3857(), frame.z()))
                .append("\n) AS cdbq WHERE ").append(g).append(" OPERATOR(public.&&) ").append(box).append(") AS f WHERE tessera_px IS NOT NULL");
        List<RenderFeature> out = new ArrayList<>();
        try (Statement s = c.createStatement()) {
            s.setFetchSize(1000);
            try (ResultSet rs = s.executeQuery(sql.toString())) {
                long seq = 0;
                while (rs.next()) {
                    Map<String, Object> attrs = new LinkedHashMap<>();
                    int i = 2;
                    for (String col : cols) {
                        attrs.put(col, value(rs.getObject(i++)));
                    }
                    seq++;
                    long id = attrs.get(ID) instanceof Number n ? n.longValue() : seq;
                    out.add(new RenderFeature(id, rs.getBytes(1), attrs));
                }
            }
        }
        return out;
    }

    private static Object value(Object o) {
        if (o instanceof BigDecimal b) {
            return b.doubleValue();
        }
        if (o instanceof Number || o instanceof Boolean || o == null) {
            return o;
        }
        return o.toString();
    }
}
