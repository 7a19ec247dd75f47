package io.tessera.server.maps;

import io.tessera.server.maps.MapConfig.Layer;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The inspected plans of every mapnik layer of a layergroup, for one drawing role: which tables the map
 * reads and whether all of them are tracked by change stamps.
 */
record MapPlan(Map<Integer, LayerPlan> layers) {

    static MapPlan inspect(Connection c, MapConfig config) throws SQLException {
        Map<Integer, LayerPlan> plans = new LinkedHashMap<>();
        for (Layer l : config.mapnikLayers()) {
            try {
                plans.put(l.index(), LayerInspector.inspect(c, l));
            } catch (SQLException e) {
                throw MapsErrors.fromSql(e, l.ref());
            }
        }
        return new MapPlan(plans);
    }

    LayerPlan of(Layer l) {
        return layers.get(l.index());
    }

    List<LayerPlan> of(List<Layer> selected) {
        return selected.stream().map(this::of).toList();
    }

    /** Tables read by the selected layers. */
    List<Long> tables(List<Layer> selected) {
        Set<Long> oids = new LinkedHashSet<>();
        selected.forEach(l -> oids.addAll(of(l).tableOids()));
        return List.copyOf(oids);
    }

    boolean trackable(List<Layer> selected) {
        return selected.stream().allMatch(l -> of(l).trackable());
    }
}
