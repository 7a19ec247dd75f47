package io.tessera.server.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.UUID;

/**
 * One row of {@code tessera.jobs} as read at one moment.
 *
 * @param lane            jobs of one lane run one at a time, oldest first (Batch: the user)
 * @param dbRole          the login role the job's SQL runs as
 * @param payload         the kind's input, fixed once the job started
 * @param state           the kind's progress and results (null until it saves some)
 * @param cancelRequested a cancel arrived while the job ran; it ends {@code cancelled}
 */
public record Job(UUID id, String kind, UUID userId, String lane, String dbRole, JobStatus status, JsonNode payload,
                  JsonNode state, String failedReason, boolean cancelRequested, Instant createdAt, Instant updatedAt,
                  Instant startedAt, Instant endedAt) {
}
