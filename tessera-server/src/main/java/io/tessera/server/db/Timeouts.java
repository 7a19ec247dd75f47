package io.tessera.server.db;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/** Timers for deadlines that are nearly always cancelled before they fire (a statement's limit, a socket read's). */
public final class Timeouts {
    private Timeouts() {
    }

    /**
     * One daemon thread. A cancelled deadline leaves the queue at once: kept until its time (the executor's default),
     * every deadline of the last timeout's span sat in the queue, which under load made each schedule() sift through
     * a heap of a hundred thousand dead tasks.
     */
    public static ScheduledExecutorService timer(String threadName) {
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread thread = new Thread(r, threadName);
            thread.setDaemon(true);
            return thread;
        });
        t.setRemoveOnCancelPolicy(true);
        return t;
    }
}
