package io.tessera.server.maps;

import java.util.List;
import java.util.Set;

/**
 * What inspecting a layer's SQL on the drawing role's own connection found: its output columns, the
 * tables it reads (by OID, for their change stamps), whether every input is a table whose changes are
 * tracked, and the planner's row estimate.
 */
public record LayerPlan(List<Column> columns, List<Long> tableOids, boolean trackable, long estimatedRows) {
    /** Column types MVT carries as properties (maps-api.md §5.2); others, geometries included, are dropped. */
    private static final Set<String> MVT_TYPES = Set.of("bool", "int2", "int4", "int8", "float4", "float8",
            "numeric", "bpchar", "varchar", "text", "unknown", "serial", "bigserial", "smallserial");

    /** One output column of the layer query and its PostgreSQL type name. */
    public record Column(String name, String pgType) {
    }

    public List<String> mvtProperties(String geomColumn) {
        return columns.stream()
                .filter(c -> MVT_TYPES.contains(c.pgType()))
                .map(Column::name)
                .filter(n -> !n.equals(geomColumn) && !n.equals(MapConfigParser.DEFAULT_GEOM))
                .distinct()
                .toList();
    }

    public boolean hasColumn(String name) {
        return columns.stream().anyMatch(c -> c.name().equals(name));
    }
}
