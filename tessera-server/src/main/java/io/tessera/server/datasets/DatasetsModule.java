package io.tessera.server.datasets;

import io.tessera.server.auth.PlatformCallers;
import io.tessera.server.http.Router;
import io.tessera.server.module.ApiModule;
import io.tessera.server.module.ServerContext;
import java.util.Set;

/** Datasets and their visualizations: {@code /api/v1/viz[/:id]} and {@code /api/v1/tables/:id}. */
public final class DatasetsModule implements ApiModule {
    private final VizHandlers viz;
    private final TablesHandler tables;

    public DatasetsModule(ServerContext ctx) {
        PlatformCallers callers = new PlatformCallers(ctx.auth(), ctx.platform().accounts());
        this.viz = new VizHandlers(callers, ctx.platform().pools());
        this.tables = new TablesHandler(callers, ctx.platform().pools());
    }

    @Override
    public void register(Router router) {
        router.add(Set.of("GET"), "/api/v1/viz", viz::list)
                .add(Set.of("GET"), "/api/v1/viz/{id}", viz::show)
                .add(Set.of("PUT"), "/api/v1/viz/{id}", viz::update)
                .add(Set.of("DELETE"), "/api/v1/viz/{id}", viz::delete)
                .add(Set.of("GET"), "/api/v1/tables/{id}", tables::show);
    }
}
