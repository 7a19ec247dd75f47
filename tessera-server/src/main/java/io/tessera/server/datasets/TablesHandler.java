package io.tessera.server.datasets;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.webserver.http.ServerResponse;
import io.tessera.server.auth.Caller;
import io.tessera.server.auth.PlatformCallers;
import io.tessera.server.db.RoleConnection;
import io.tessera.server.db.RolePools;
import io.tessera.server.http.ApiRequest;
import io.tessera.server.http.Json;
import io.tessera.server.http.PlatformParams;
import java.sql.Connection;
import java.util.List;

/** {@code GET /api/v1/tables/:id} (master key; a user table id or a name), platform-api.md §5. */
public final class TablesHandler {
    private final PlatformCallers callers;
    private final RolePools pools;

    public TablesHandler(PlatformCallers callers, RolePools pools) {
        this.callers = callers;
        this.pools = pools;
    }

    public void show(ApiRequest req, ServerResponse res) throws Exception {
        Caller caller = callers.master(req);
        try (RoleConnection rc = pools.connect(caller.key().dbRole())) {
            Connection c = rc.jdbc();
            Dataset d;
            try {
                d = VizHandlers.find(c, true, req.pathParam("id"));
            } catch (io.tessera.server.http.ApiException e) {
                throw PlatformErrors.empty(404);
            }
            List<String> geometryTypes = DatasetStore.geometryTypes(c, d);
            long rows = DatasetStore.rowCount(c, d);
            ObjectNode o = Json.object();
            o.put("id", d.tableId().toString());
            o.put("name", d.tableName());
            o.put("privacy", d.privacy().tableText());
            ArrayNode schema = o.putArray("schema");
            for (TableColumns.Column col : TableColumns.of(c, d.tableOid())) {
                ArrayNode entry = schema.addArray().add(col.name()).add(col.cartoType());
                if (col.geometryType() != null) {
                    entry.add("geometry").add(col.geometryType());
                }
            }
            o.put("updated_at", VizJson.time(d.updatedAt()));
            o.put("rows_counted", rows);
            o.put("table_size", d.size());
            o.put("map_id", d.mapId().toString());
            o.put("description", d.description());
            ArrayNode types = o.putArray("geometry_types");
            geometryTypes.forEach(types::add);
            VizJson.Options all = new VizJson.Options(true, true, true, 1);
            o.set("table_visualization", VizJson.privatePoro(d, caller.user(),
                    PlatformParams.baseUrl(req, caller.user().username()), new VizJson.TableFacts(geometryTypes, rows), all));
            o.putArray("dependent_visualizations");
            o.putArray("non_dependent_visualizations");
            o.putNull("synchronization");
            PlatformParams.sendJson(res, 200, o);
        }
    }
}
