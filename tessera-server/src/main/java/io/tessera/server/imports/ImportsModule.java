package io.tessera.server.imports;

import io.tessera.server.datasets.PlatformCallers;
import io.tessera.server.http.Router;
import io.tessera.server.jobs.JobSettings;
import io.tessera.server.jobs.JobWorkers;
import io.tessera.server.module.ApiModule;
import io.tessera.server.module.ServerContext;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/** The Import API ({@code /api/v1/imports[/:id]}) and its import workers on the jobs mechanism. */
public final class ImportsModule implements ApiModule {
    private final JobWorkers workers;
    private final ImportsHandler handler;

    public ImportsModule(ServerContext ctx) {
        this(ctx, ImportSettings.load(ctx.config().home()));
    }

    public ImportsModule(ServerContext ctx, ImportSettings settings) {
        UrlGuard guard = UrlGuard.of(settings);
        ImportJobKind kind = new ImportJobKind(ctx.platform(), settings, guard);
        this.workers = new JobWorkers(ctx.platform(), new JobSettings(settings.workers(),
                Duration.ofMillis(ctx.config().jobs().leaseMs()), Duration.ofMillis(500)), List.of(kind)).start();
        this.handler = new ImportsHandler(new PlatformCallers(ctx.auth(), ctx.platform().accounts()), workers, settings, guard);
    }

    @Override
    public void register(Router router) {
        router.add(Set.of("POST"), "/api/v1/imports", handler::create)
                .add(Set.of("GET"), "/api/v1/imports", handler::list)
                .add(Set.of("GET"), "/api/v1/imports/{id}", handler::show);
    }

    @Override
    public void close() {
        workers.close();
    }
}
