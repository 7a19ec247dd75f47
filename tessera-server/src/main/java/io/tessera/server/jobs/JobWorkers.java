package io.tessera.server.jobs;

import io.tessera.server.db.Platform;
import java.lang.management.ManagementFactory;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The workers of one API module: threads that claim jobs of the module's kinds, a heartbeat that renews
 * their leases (and passes on cancels that arrived through any node), and a reaper that fails jobs whose
 * node stopped. Owned by the module; {@link #close()} stops claiming, gives up running jobs (failed, with
 * a reason: a started job is never re-run) and stops the threads.
 */
public final class JobWorkers implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JobWorkers.class);
    static final String LEASE_LAPSED = "the server running this job stopped before it ended";
    static final String SERVER_STOPPED = "the server stopped while this job was running";
    static final String LEASE_LOST = "this job's lease was lost (its server stalled)";

    private final Platform platform;
    private final JobLeases leases;
    private final JobStore store;
    private final JobSettings settings;
    private final Map<String, JobKind> kinds = new LinkedHashMap<>();
    private final String node = ManagementFactory.getRuntimeMXBean().getName();
    private final Map<UUID, JobContext> running = new ConcurrentHashMap<>();
    private final Object idle = new Object();
    private final List<Thread> threads = new ArrayList<>();
    private final ScheduledExecutorService timer;
    private volatile boolean stopping;
    private boolean wakeup;

    public JobWorkers(Platform platform, JobSettings settings, List<JobKind> kinds) {
        this.platform = platform;
        this.settings = settings;
        this.leases = new JobLeases(platform.admin().dataSource(), settings.lease());
        this.store = new JobStore(platform.admin().dataSource());
        kinds.forEach(k -> this.kinds.put(k.name(), k));
        String label = String.join(",", this.kinds.keySet());
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "jobs-heartbeat-" + label));
    }

    /** Starts the worker threads, the heartbeat and the reaper. */
    public JobWorkers start() {
        long beat = Math.max(100, settings.lease().toMillis() / 3);
        timer.scheduleWithFixedDelay(this::heartbeat, beat, beat, TimeUnit.MILLISECONDS);
        long reap = Math.max(200, settings.lease().toMillis() / 2);
        timer.scheduleWithFixedDelay(this::reap, 0, reap, TimeUnit.MILLISECONDS);
        String label = String.join(",", kinds.keySet());
        for (int i = 0; i < settings.concurrency(); i++) {
            Thread t = daemon(this::workLoop, "jobs-" + label + "-" + i);
            threads.add(t);
            t.start();
        }
        return this;
    }

    /** The store handlers submit to; call {@link #wake()} after a submit so an idle worker starts at once. */
    public JobStore store() {
        return store;
    }

    /** Wakes idle workers (after a submit on this node; other nodes find it by polling). */
    public void wake() {
        synchronized (idle) {
            wakeup = true;
            idle.notifyAll();
        }
    }

    private void workLoop() {
        while (!stopping) {
            Optional<Job> claimed = Optional.empty();
            // A fresh owner per claim: the fence tells this run apart from any other, even on this node.
            String owner = node + "/" + UUID.randomUUID();
            try {
                claimed = leases.claim(kinds.keySet(), owner);
            } catch (SQLException e) {
                LOG.warn("claiming a job failed: {}", e.getMessage());
            }
            if (claimed.isPresent()) {
                runClaimed(claimed.get(), owner);
            } else {
                awaitWork();
            }
        }
    }

    private void awaitWork() {
        synchronized (idle) {
            if (!wakeup && !stopping) {
                try {
                    idle.wait(settings.poll().toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    stopping = true;
                }
            }
            wakeup = false;
        }
    }

    private void runClaimed(Job job, String owner) {
        JobKind kind = kinds.get(job.kind());
        JobContext ctx = new JobContext(job, owner, leases, platform.pools());
        running.put(job.id(), ctx);
        JobResult result;
        try {
            result = kind.run(ctx);
        } catch (Exception e) {
            result = JobResult.failed(kind.failureReason(e), ctx.state());
        } finally {
            running.remove(job.id());
        }
        try {
            boolean ended = ctx.stopReason() != null
                    ? leases.abandon(job, ctx.owner(), ctx.stopReason(), kind.abandonedState(withState(job, ctx), ctx.stopReason()))
                    : leases.finish(job.id(), ctx.owner(), result);
            if (!ended) {
                LOG.warn("job {}: outcome dropped, the lease was taken over", job.id());
            }
        } catch (SQLException e) {
            LOG.warn("job {}: could not record its outcome ({}); the reaper will end it", job.id(), e.getMessage());
        }
        wake(); // the lane may have a next job
    }

    private static Job withState(Job job, JobContext ctx) {
        return new Job(job.id(), job.kind(), job.userId(), job.lane(), job.dbRole(), job.status(), job.payload(),
                ctx.state(), job.failedReason(), job.cancelRequested(), job.createdAt(), job.updatedAt(),
                job.startedAt(), job.endedAt());
    }

    private void heartbeat() {
        Map<UUID, String> held = new HashMap<>();
        running.forEach((id, ctx) -> held.put(id, ctx.owner()));
        if (held.isEmpty()) {
            return;
        }
        try {
            Map<UUID, Boolean> renewed = leases.renew(held);
            running.forEach((id, ctx) -> {
                Boolean cancel = renewed.get(id);
                if (cancel == null) {
                    if (held.containsKey(id)) {
                        ctx.stop(LEASE_LOST);
                    }
                } else if (cancel) {
                    ctx.cancel(); // again each beat: a cancel sent between two statements is not lost
                }
            });
        } catch (SQLException e) {
            LOG.warn("renewing job leases failed: {}", e.getMessage());
        }
    }

    private void reap() {
        try {
            for (JobKind k : kinds.values()) {
                leases.reapLapsed(List.of(k.name()), LEASE_LAPSED, k::abandonedState);
                Optional<Duration> keep = k.retention();
                if (keep.isPresent()) {
                    store.purge(k.name(), keep.get());
                }
            }
        } catch (SQLException e) {
            LOG.warn("reaping lapsed jobs failed: {}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("reaping lapsed jobs failed", e);
        }
    }

    @Override
    public void close() {
        stopping = true;
        wake();
        running.values().forEach(ctx -> ctx.stop(SERVER_STOPPED));
        for (Thread t : threads) {
            try {
                t.join(15_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        timer.shutdownNow();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
