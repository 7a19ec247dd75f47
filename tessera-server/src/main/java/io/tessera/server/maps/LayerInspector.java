package io.tessera.server.maps;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.server.db.AdminDatabase;
import io.tessera.server.http.Json;
import io.tessera.server.maps.MapConfig.Layer;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Inspects a layer's SQL on the connection of the role that will draw it (security 5: never as master
 * or admin): {@code LIMIT 0} for the columns (and to prove the role may read the data), then
 * {@code EXPLAIN (VERBOSE, FORMAT JSON)} for the tables it touches and the row estimate.
 */
final class LayerInspector {
    private LayerInspector() {
    }

    static LayerPlan inspect(Connection c, Layer layer) throws SQLException {
        String sql = SqlTokens.forInspection(layer.sql());
        List<LayerPlan.Column> columns = new ArrayList<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT * FROM (" + sql + "\n) AS cdbq LIMIT 0")) {
            ResultSetMetaData md = rs.getMetaData();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                columns.add(new LayerPlan.Column(md.getColumnLabel(i), md.getColumnTypeName(i)));
            }
        }
        if (columns.stream().noneMatch(col -> col.name().equals(layer.geomColumn()))) {
            throw MapsErrors.error(400, "layer", "query", "column \"" + layer.geomColumn() + "\" does not exist",
                    layer.ref());
        }
        JsonNode plan;
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("EXPLAIN (VERBOSE, FORMAT JSON) SELECT * FROM (" + sql + "\n) AS cdbq")) {
            rs.next();
            plan = Json.MAPPER.readTree(rs.getString(1)).get(0).get("Plan");
        } catch (IOException e) {
            throw new SQLException("unreadable EXPLAIN output", e);
        }
        Set<List<String>> relations = new LinkedHashSet<>();
        boolean[] opaque = {false};
        walk(plan, relations, opaque);
        List<Long> oids = resolve(c, relations);
        boolean trackable = !opaque[0] && oids.size() == relations.size();
        return new LayerPlan(List.copyOf(columns), oids, trackable, plan.path("Plan Rows").asLong(-1));
    }

    /** Collects (schema, relation) of every scan; function scans make the layer untrackable. */
    private static void walk(JsonNode node, Set<List<String>> relations, boolean[] opaque) {
        if (node.hasNonNull("Relation Name")) {
            relations.add(List.of(node.path("Schema").asText(), node.get("Relation Name").asText()));
        }
        String type = node.path("Node Type").asText();
        if (type.equals("Function Scan") || type.equals("Foreign Scan") || type.equals("Custom Scan")
                || type.equals("Table Function Scan")) {
            opaque[0] = true;
        }
        for (JsonNode child : node.path("Plans")) {
            walk(child, relations, opaque);
        }
    }

    private static List<Long> resolve(Connection c, Set<List<String>> relations) throws SQLException {
        List<Long> oids = new ArrayList<>();
        if (relations.isEmpty()) {
            return oids;
        }
        StringBuilder q = new StringBuilder("SELECT to_regclass(x)::oid FROM unnest(ARRAY[");
        boolean first = true;
        for (List<String> r : relations) {
            q.append(first ? "" : ",").append(AdminDatabase.quoteLiteral(
                    AdminDatabase.quoteIdent(r.get(0)) + "." + AdminDatabase.quoteIdent(r.get(1))));
            first = false;
        }
        q.append("]::text[]) AS x");
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(q.toString())) {
            while (rs.next()) {
                long oid = rs.getLong(1);
                if (!rs.wasNull()) {
                    oids.add(oid);
                }
            }
        }
        return oids;
    }
}
