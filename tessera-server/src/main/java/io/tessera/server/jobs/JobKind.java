package io.tessera.server.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Optional;

/**
 * One kind of background work (Batch SQL, file import, sync, export), plugged into {@link JobWorkers}.
 * The mechanism claims, leases, fences and cancels; the kind only runs one job and says how it ended.
 */
public interface JobKind {
    /** The value of {@code tessera.jobs.kind} for this kind's jobs; unique across the server. */
    String name();

    /**
     * Runs one claimed job on a worker thread. Run SQL through {@link JobContext#connect()} so cancel and
     * lease take-over can reach the statement. Returning or throwing ends the job; a thrown exception
     * fails it with {@link #failureReason(Exception)}. Never called twice for one job.
     */
    JobResult run(JobContext context) throws Exception;

    /** The {@code failed_reason} stored for an exception thrown by {@link #run}. */
    default String failureReason(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /**
     * The state to store when a job of this kind is failed because its node stopped (lease lapsed or
     * server shut down); by default the state is kept as it was. Also the place to mark partial results.
     */
    default JsonNode abandonedState(Job job, String reason) {
        return job.state();
    }

    /** How long finished jobs are kept; empty keeps them until their user is deleted. */
    default Optional<Duration> retention() {
        return Optional.empty();
    }
}
