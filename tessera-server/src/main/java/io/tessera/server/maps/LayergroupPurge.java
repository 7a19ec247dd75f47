package io.tessera.server.maps;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes layergroups unused for a while, in the background: every anonymous map and every distinct config on
 * an open named-map tile route stores one, and nothing else would ever remove them. A client that still holds
 * a purged layergroup id gets the usual "Invalid or nonexistent map configuration token" and instantiates again.
 */
final class LayergroupPurge implements AutoCloseable {
    /** Seconds a layergroup may go unused: system property {@code tessera.maps.layergroupMaxIdleSeconds}, default 7 days. */
    static final String MAX_IDLE_PROPERTY = "tessera.maps.layergroupMaxIdleSeconds";
    /** Seconds between purges: system property {@code tessera.maps.layergroupPurgeEverySeconds}, default 1 hour. */
    static final String EVERY_PROPERTY = "tessera.maps.layergroupPurgeEverySeconds";
    private static final Logger LOG = LoggerFactory.getLogger(LayergroupPurge.class);

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "maps-layergroup-purge");
        t.setDaemon(true);
        return t;
    });

    LayergroupPurge(LayergroupStore store) {
        Duration idle = Duration.ofSeconds(Long.getLong(MAX_IDLE_PROPERTY, Duration.ofDays(7).toSeconds()));
        long every = Math.max(1, Long.getLong(EVERY_PROPERTY, Duration.ofHours(1).toSeconds()));
        timer.scheduleWithFixedDelay(() -> {
            try {
                int n = store.purgeUnusedFor(idle);
                if (n > 0) {
                    LOG.info("purged {} layergroups unused for {}", n, idle);
                }
            } catch (Exception e) {
                LOG.warn("layergroup purge failed: {}", e.toString());
            }
        }, Math.min(every, 60), every, TimeUnit.SECONDS);
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
