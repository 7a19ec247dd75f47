package io.tessera.server.jobs;

import java.time.Duration;

/**
 * How one {@link JobWorkers} runs.
 *
 * @param concurrency jobs run at once on this node (each lane still runs one at a time)
 * @param lease       how long a claim holds without a heartbeat; the heartbeat renews it every third of it.
 *                    A node that stops is noticed by the others after this long.
 * @param poll        how often idle workers look for new jobs (a submit on this node wakes them at once)
 */
public record JobSettings(int concurrency, Duration lease, Duration poll) {
    public JobSettings {
        if (concurrency <= 0) {
            throw new IllegalArgumentException("job concurrency must be positive");
        }
        if (lease.toMillis() < 300) {
            throw new IllegalArgumentException("job lease must be at least 300 ms");
        }
        if (poll.toMillis() <= 0) {
            throw new IllegalArgumentException("job poll interval must be positive");
        }
    }
}
