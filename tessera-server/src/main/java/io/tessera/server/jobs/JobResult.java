package io.tessera.server.jobs;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * How a run ended, as the kind reports it: {@code done} or {@code failed} with a reason, plus the final
 * state to store. A cancel requested meanwhile turns either into {@code cancelled}.
 */
public record JobResult(JobStatus status, String failedReason, JsonNode state) {
    public JobResult {
        if (status != JobStatus.DONE && status != JobStatus.FAILED) {
            throw new IllegalArgumentException("a run ends done or failed, not " + status);
        }
    }

    public static JobResult done(JsonNode state) {
        return new JobResult(JobStatus.DONE, null, state);
    }

    public static JobResult failed(String reason, JsonNode state) {
        return new JobResult(JobStatus.FAILED, reason, state);
    }
}
