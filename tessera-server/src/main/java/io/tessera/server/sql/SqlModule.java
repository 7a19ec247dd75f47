package io.tessera.server.sql;

import io.tessera.server.http.Router;
import io.tessera.server.module.ApiModule;
import io.tessera.server.module.ServerContext;
import java.util.Set;

/** The SQL API: {@code /api/:version/sql}, any method. */
public final class SqlModule implements ApiModule {
    private final SqlHandler handler;

    public SqlModule(ServerContext ctx) {
        ExportLimits limits = ExportLimits.load(System.getenv());
        TableStamps stamps = new TableStamps(ctx.platform().changeFeed().stamps());
        this.handler = new SqlHandler(ctx.auth(), ctx.platform().pools(), ctx.watchdog(),
                new QueryRunner(ctx.config().fetchSize()), new ValueWriter(ctx.config().timeZone()), ctx.config().sqlTimeoutMs(),
                new OgrExport(ctx.platform().endpoint(), ctx.platform()::rolePassword, limits), limits, stamps);
    }

    @Override
    public void register(Router router) {
        router.add(Set.of(), "/api/{version}/sql", handler);
    }
}
