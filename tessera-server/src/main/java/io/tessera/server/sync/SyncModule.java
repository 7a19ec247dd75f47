package io.tessera.server.sync;

import io.tessera.server.auth.PlatformCallers;
import io.tessera.server.http.Router;
import io.tessera.server.imports.ImportSettings;
import io.tessera.server.imports.UrlGuard;
import io.tessera.server.jobs.JobSettings;
import io.tessera.server.jobs.JobWorkers;
import io.tessera.server.module.ApiModule;
import io.tessera.server.module.ServerContext;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Sync tables ({@code /api/v1/synchronizations}): the API, the sync workers on the jobs mechanism and the
 * scheduler that queues due syncs. {@code TESSERA_SYNC_PERIOD_MS} (environment or system property) sets
 * the scheduler's period (default 30 s).
 */
public final class SyncModule implements ApiModule {
    private final JobWorkers workers;
    private final SyncScheduler scheduler;
    private final SyncHandler handler;

    public SyncModule(ServerContext ctx) {
        ImportSettings settings = ImportSettings.load(ctx.config().home());
        UrlGuard guard = UrlGuard.of(settings);
        SyncStore store = new SyncStore(ctx.platform().admin().dataSource());
        SyncJobKind kind = new SyncJobKind(ctx.platform(), store, settings, guard);
        this.workers = new JobWorkers(ctx.platform(), new JobSettings(settings.workers(),
                Duration.ofMillis(ctx.config().jobs().leaseMs()), Duration.ofMillis(500)), List.of(kind)).start();
        this.scheduler = new SyncScheduler(store, ctx.platform().accounts(), workers).start(period());
        this.handler = new SyncHandler(new PlatformCallers(ctx.auth(), ctx.platform().accounts()), store, workers, guard);
    }

    private static long period() {
        String v = System.getProperty("TESSERA_SYNC_PERIOD_MS", System.getenv().getOrDefault("TESSERA_SYNC_PERIOD_MS", "30000"));
        return Math.max(100, Long.parseLong(v.trim()));
    }

    @Override
    public void register(Router router) {
        router.add(Set.of("GET"), "/api/v1/synchronizations", handler::list)
                .add(Set.of("POST"), "/api/v1/synchronizations", handler::create)
                .add(Set.of("GET"), "/api/v1/synchronizations/{id}", handler::show)
                .add(Set.of("PUT"), "/api/v1/synchronizations/{id}", handler::update)
                .add(Set.of("DELETE"), "/api/v1/synchronizations/{id}", handler::delete)
                .add(Set.of("PUT"), "/api/v1/synchronizations/{id}/sync_now", handler::syncNow)
                .add(Set.of("GET"), "/api/v1/synchronizations/{id}/sync_now", handler::syncing);
    }

    @Override
    public void close() {
        scheduler.close();
        workers.close();
    }
}
