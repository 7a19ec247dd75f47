package io.tessera.server.maps;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.webserver.http.ServerResponse;
import io.tessera.server.maps.MapDrawing.Drawer;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * Turns a validated config into a stored layergroup: inspects every layer on the drawing role's own
 * connection (which proves the role may read it and finds the tables it touches), takes the newest change
 * stamp of those tables as the cache buster, stores the config and answers with its metadata.
 */
final class Instantiator {
    /** Hook for the raster side: CartoCSS warnings per layer index (empty when there is no renderer). */
    interface StyleCheck {
        Map<Integer, List<String>> warnings(MapConfig config);
    }

    private final LayergroupStore store;
    private final MapDrawing drawing;
    private final StyleCheck styles;

    Instantiator(LayergroupStore store, MapDrawing drawing, StyleCheck styles) {
        this.store = store;
        this.drawing = drawing;
        this.styles = styles;
    }

    /** Instantiates and writes the response (headers and JSON/JSONP body). */
    void instantiate(Drawer drawer, MapConfig config, ObjectNode template, String templateHash, String base,
                     String suffix, String callback, ServerResponse res) {
        Map<Integer, List<String>> warnings = styles.warnings(config);
        record Inspected(MapPlan plan, long stamp) {
        }
        Inspected in = drawing.readOnly(drawer, c -> {
            MapPlan plan = MapPlan.inspect(c, config);
            List<MapConfig.Layer> all = config.mapnikLayers();
            return new Inspected(plan, drawing.newestStamp(c, plan, all));
        });
        String md5;
        try {
            md5 = store.save(drawer.user().id(), config, template);
        } catch (SQLException e) {
            throw MapsErrors.fromSql(e, null);
        }
        LayergroupToken token = template == null ? LayergroupToken.anonymous(md5, in.stamp())
                : LayergroupToken.named(drawer.user().username(), templateHash, md5, in.stamp());
        ObjectNode body = LayergroupResponse.build(base, token, config, in.plan(), in.stamp(), suffix, warnings);
        res.header("X-Layergroup-Id", token.toString());
        res.header("Carto-Map-Id", md5);
        res.header("Carto-Cache-Buster", Long.toString(in.stamp()));
        if (templateHash != null) {
            res.header("Carto-Template-Hash", templateHash);
        }
        MapsHttp.sendJson(res, 200, body, callback);
    }
}
