package io.tessera.server.batch;

import io.tessera.server.config.TesseraConfig;
import io.tessera.server.http.Router;
import io.tessera.server.jobs.JobSettings;
import io.tessera.server.jobs.JobWorkers;
import io.tessera.server.module.ApiModule;
import io.tessera.server.module.ServerContext;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/** The Batch SQL API and its workers (one job per user at a time, {@code TESSERA_BATCH_WORKERS} users at once). */
public final class BatchModule implements ApiModule {
    private final JobWorkers workers;
    private final BatchHandler handler;

    public BatchModule(ServerContext ctx) {
        TesseraConfig.JobLimits limits = ctx.config().jobs();
        BatchJobKind kind = new BatchJobKind(new BatchStatement(ctx.watchdog()), limits.batchTimeoutMs());
        this.workers = new JobWorkers(ctx.platform(), new JobSettings(limits.batchWorkers(),
                Duration.ofMillis(limits.leaseMs()), Duration.ofMillis(500)), List.of(kind)).start();
        this.handler = new BatchHandler(ctx.auth(), workers, limits.batchMaxPayload(), limits.batchMaxQueued());
    }

    @Override
    public void register(Router router) {
        router.add(Set.of("POST"), "/api/{version}/sql/job", (req, res) -> handler.create(req, res))
                .add(Set.of("GET"), "/api/{version}/sql/job", (req, res) -> handler.list(req, res))
                .add(Set.of("OPTIONS"), "/api/{version}/sql/job", handler::options)
                .add(Set.of("GET"), "/api/{version}/sql/job/{id}", (req, res) -> handler.read(req, res))
                .add(Set.of("PUT"), "/api/{version}/sql/job/{id}", (req, res) -> handler.update(req, res))
                .add(Set.of("DELETE"), "/api/{version}/sql/job/{id}", (req, res) -> handler.cancel(req, res))
                .add(Set.of("OPTIONS"), "/api/{version}/sql/job/{id}", handler::options);
    }

    @Override
    public void close() {
        workers.close();
    }
}
