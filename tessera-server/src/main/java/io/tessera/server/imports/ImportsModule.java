package io.tessera.server.imports;

import io.tessera.server.auth.PlatformCallers;
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
        removeStaleWorkDirs(settings.workDir());
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

    /**
     * Uploads of imports whose node died before the job ran or ended are never read again (a started job is
     * never re-run): their directories go after a day.
     */
    private static void removeStaleWorkDirs(java.nio.file.Path dir) {
        java.time.Instant cutoff = java.time.Instant.now().minus(Duration.ofDays(1));
        try (var dirs = java.nio.file.Files.list(dir)) {
            dirs.filter(p -> {
                try {
                    return java.nio.file.Files.getLastModifiedTime(p).toInstant().isBefore(cutoff);
                } catch (java.io.IOException e) {
                    return false;
                }
            }).forEach(ImportJobKind::deleteTree);
        } catch (java.io.IOException e) {
            // no work directory yet
        }
    }

    @Override
    public void close() {
        workers.close();
    }
}
