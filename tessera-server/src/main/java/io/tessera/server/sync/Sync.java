package io.tessera.server.sync;

import java.time.Instant;
import java.util.UUID;

/** One row of {@code tessera.synchronizations}: a sync table's schedule, state and last outcome. */
public record Sync(UUID id, UUID userId, String name, String url, int interval, String state, Instant runAt,
                   Instant ranAt, Instant modifiedAt, int retriedTimes, UUID logId, Integer errorCode,
                   String errorMessage, String checksum, boolean typeGuessing, boolean quotedFieldsGuessing,
                   boolean contentGuessing, UUID visualizationId, Instant queuedAt, Instant createdAt,
                   Instant updatedAt) {

    /** The shortest interval CARTO accepts, and the pause a manual sync needs after the last run. */
    public static final int MIN_INTERVAL_S = 900;

    public boolean running() {
        return state.equals("queued") || state.equals("syncing");
    }
}
