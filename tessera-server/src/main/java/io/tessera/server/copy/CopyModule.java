package io.tessera.server.copy;

import io.helidon.http.Status;
import io.tessera.server.http.Router;
import io.tessera.server.module.ApiModule;
import io.tessera.server.module.ServerContext;
import io.tessera.server.sql.Cors;
import java.util.Set;

/** The COPY API: {@code POST /sql/copyfrom} and {@code GET|POST /sql/copyto} (sql-api.md §5). */
public final class CopyModule implements ApiModule {
    private final CopyFromHandler from;
    private final CopyToHandler to;

    public CopyModule(ServerContext ctx) {
        CopySession session = new CopySession(ctx.auth(), ctx.platform().pools(), ctx.watchdog(),
                ctx.config().jobs().copyTimeoutMs());
        this.from = new CopyFromHandler(session, ctx.config().jobs().copyMaxBytes());
        this.to = new CopyToHandler(session);
    }

    @Override
    public void register(Router router) {
        router.add(Set.of("POST"), "/api/{version}/sql/copyfrom", (req, res) -> from.handle(req, res))
                .add(Set.of("GET", "POST"), "/api/{version}/sql/copyto", (req, res) -> to.handle(req, res))
                .add(Set.of("OPTIONS"), "/api/{version}/sql/copyfrom", CopyModule::options)
                .add(Set.of("OPTIONS"), "/api/{version}/sql/copyto", CopyModule::options);
    }

    private static void options(io.tessera.server.http.ApiRequest req, io.helidon.webserver.http.ServerResponse res) {
        Cors.apply(res);
        res.status(Status.OK_200).send();
    }
}
