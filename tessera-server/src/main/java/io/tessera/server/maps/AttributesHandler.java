package io.tessera.server.maps;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.webserver.http.ServerResponse;
import io.tessera.server.db.AdminDatabase;
import io.tessera.server.http.ApiRequest;
import io.tessera.server.http.Json;
import io.tessera.server.maps.MapConfig.Layer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET /map/:token/:layer/attributes/:fid} (maps-api.md §3.2): the layer's
 * {@code attributes.columns} of the row whose {@code attributes.id} is {@code fid}, read as the drawing role.
 */
final class AttributesHandler {
    private final LayergroupAccess access;
    private final MapDrawing drawing;

    AttributesHandler(LayergroupAccess access, MapDrawing drawing) {
        this.access = access;
        this.drawing = drawing;
    }

    void handle(ApiRequest req, ServerResponse res) throws Exception {
        MapsHttp.jsonRoute(req, res, callback -> {
            LayergroupAccess.Resolved lg = access.resolve(req, res, req.pathParam("token"));
            String ref = req.pathParam("layer");
            Layer layer = lg.stored().config().layer(ref)
                    .orElseThrow(() -> MapsErrors.tile("Layer '" + ref + "' not found in layergroup"));
            if (!layer.isMapnik() || layer.attributes() == null) {
                throw MapsErrors.badRequest("Layer " + layer.index() + " has no exposed attributes");
            }
            String fid = req.pathParam("fid");
            StringBuilder cols = new StringBuilder();
            for (String c : layer.attributes().columns()) {
                cols.append(cols.isEmpty() ? "" : ", ").append("cdbq.").append(AdminDatabase.quoteIdent(c));
            }
            String sql = "SELECT row_to_json(a)::text FROM (SELECT " + (cols.isEmpty() ? "1 AS x" : cols) + " FROM ("
                    + SqlTokens.forInspection(layer.sql()) + "\n) AS cdbq WHERE cdbq." + AdminDatabase.quoteIdent(layer.attributes().id())
                    + "::text = " + AdminDatabase.quoteLiteral(fid) + ") AS a LIMIT 2";
            List<String> rows = drawing.readOnly(lg.drawer(), c -> {
                List<String> out = new ArrayList<>();
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
                return out;
            });
            if (rows.isEmpty()) {
                throw MapsErrors.notFound("Multiple features (0) identified by '" + layer.attributes().id() + "' = "
                        + fid + " in layer " + layer.index());
            }
            if (rows.size() > 1 && !rows.get(0).equals(rows.get(1))) {
                throw MapsErrors.badRequest("Multiple features (" + rows.size() + ") identified by '"
                        + layer.attributes().id() + "' = " + fid + " in layer " + layer.index());
            }
            ObjectNode body;
            try {
                body = cols.isEmpty() ? Json.object() : (ObjectNode) Json.MAPPER.readTree(rows.get(0));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            MapsHttp.sendJson(res, 200, body, callback);
        });
    }
}
