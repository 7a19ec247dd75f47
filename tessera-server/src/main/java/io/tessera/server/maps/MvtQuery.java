package io.tessera.server.maps;

import io.tessera.server.db.AdminDatabase;
import io.tessera.server.maps.MapConfig.Layer;
import java.util.List;

/**
 * The one SQL statement that draws a vector tile (maps-api.md §5.2, Windshaft's pg-mvt renderer):
 * per layer {@code ST_AsMVT} of {@code ST_AsMVTGeom} over the layer's query filtered by the buffered tile
 * envelope, layers concatenated. Layer names are layer ids, properties the columns of MVT-able types.
 * Only numbers Tessera computed and quoted identifiers are added to the layer's own SQL.
 */
public final class MvtQuery {
    private MvtQuery() {
    }

    /**
     * The statement Tessera runs for {@code tile} of every mapnik layer of {@code config}, with the layers
     * inspected on {@code c} (the drawing role's connection): the raw-SQL peer of the P5 benchmark runs exactly this.
     */
    public static String statementFor(java.sql.Connection c, MapConfig config, TileCoord tile) throws java.sql.SQLException {
        MapPlan plan = MapPlan.inspect(c, config);
        List<Layer> layers = config.mapnikLayers().stream().filter(l -> l.visibleAt(tile.z())).toList();
        return sql(layers, plan.of(layers), tile, config.vectorExtent(), config.bufferPx("mvt"));
    }

    /** The statement for {@code layers} (with their inspected plans, same order) at {@code tile}. */
    public static String sql(List<Layer> layers, List<LayerPlan> plans, TileCoord tile, int extent, int bufferPx) {
        StringBuilder sb = new StringBuilder("SELECT ");
        int buffer = Math.round(bufferPx * extent / 256f);
        String envelope = tile.envelopeSql(0);
        String buffered = tile.envelopeSql(bufferPx / 256.0);
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            String g = "cdbq." + AdminDatabase.quoteIdent(l.geomColumn());
            String geom3857 = l.srid() == 3857 ? g : "public.ST_Transform(" + g + ",3857)";
            String filterBox = l.srid() == 3857 ? buffered : "public.ST_Transform(" + buffered + "," + l.srid() + ")";
            StringBuilder cols = new StringBuilder();
            for (String c : plans.get(i).mvtProperties(l.geomColumn())) {
                cols.append(", cdbq.").append(AdminDatabase.quoteIdent(c));
            }
            if (i > 0) {
                sb.append(" || ");
            }
            sb.append("coalesce((SELECT public.ST_AsMVT(q, ").append(AdminDatabase.quoteLiteral(l.id())).append(", ")
                    .append(extent).append(", 'the_geom_webmercator') FROM (SELECT public.ST_AsMVTGeom(").append(geom3857)
                    .append(", ").append(envelope).append(", ").append(extent).append(", ").append(buffer)
                    .append(", true) AS the_geom_webmercator").append(cols)
                    .append(" FROM (").append(SqlTokens.substitute(l.sql(), buffered, tile.z())).append("\n) AS cdbq WHERE ")
                    .append(g).append(" OPERATOR(public.&&) ").append(filterBox).append(") AS q WHERE q.the_geom_webmercator IS NOT NULL), ''::bytea)");
        }
        return sb.toString();
    }
}
