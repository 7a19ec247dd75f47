package io.tessera.server.sync;

import io.tessera.server.auth.Accounts;
import io.tessera.server.auth.User;
import io.tessera.server.jobs.JobWorkers;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CARTO's synchronizer collection (platform-api.md §2): every period, in ONE short transaction, lock the
 * due syncs with {@code FOR UPDATE SKIP LOCKED} (so nodes share the work without taking a sync twice),
 * mark them queued and insert their jobs, at most 3 queued or syncing per user. A sync over the limit
 * stays due and is taken by a later tick.
 */
final class SyncScheduler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SyncScheduler.class);
    private static final int BATCH = 100;

    private final SyncStore store;
    private final Accounts accounts;
    private final JobWorkers workers;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sync-scheduler");
        t.setDaemon(true);
        return t;
    });

    SyncScheduler(SyncStore store, Accounts accounts, JobWorkers workers) {
        this.store = store;
        this.accounts = accounts;
        this.workers = workers;
    }

    SyncScheduler start(long periodMs) {
        timer.scheduleWithFixedDelay(this::tickQuietly, periodMs, periodMs, TimeUnit.MILLISECONDS);
        return this;
    }

    private void tickQuietly() {
        try {
            int n = tick();
            if (n > 0) {
                LOG.debug("queued {} due syncs", n);
                workers.wake();
            }
        } catch (Exception e) {
            LOG.warn("sync scheduler tick failed: {}", e.getMessage());
        }
    }

    /** Queues the due syncs; returns how many. */
    int tick() throws SQLException {
        try (Connection c = store.admin().getConnection()) {
            c.setAutoCommit(false);
            try {
                List<Sync> due = SyncStore.lockDue(c, BATCH);
                Map<UUID, Long> active = new HashMap<>();
                Map<UUID, User> users = new HashMap<>();
                int queued = 0;
                for (Sync s : due) {
                    long n = active.computeIfAbsent(s.userId(), u -> count(c, u));
                    if (n >= SyncStore.MAX_CONCURRENT_PER_USER) {
                        continue;
                    }
                    User user = users.computeIfAbsent(s.userId(), u -> user(c, u));
                    if (user == null) {
                        continue;
                    }
                    SyncStore.queueLocked(c, s, user.ownerRole(), user.username());
                    active.put(s.userId(), n + 1);
                    queued++;
                }
                c.commit();
                return queued;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private static long count(Connection c, UUID userId) {
        try {
            return SyncStore.active(c, userId);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private User user(Connection c, UUID id) {
        try (var ps = c.prepareStatement("SELECT username FROM tessera.users WHERE id = ?")) {
            ps.setObject(1, id);
            try (var rs = ps.executeQuery()) {
                return rs.next() ? accounts.findUserUncached(rs.getString(1)).orElse(null) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
