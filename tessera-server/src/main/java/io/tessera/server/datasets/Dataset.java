package io.tessera.server.datasets;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * One dataset as the registry and the catalog describe it: the table's canonical visualization
 * ({@code id}), its user table ({@code tableId}), metadata and the table's size and estimated rows.
 */
public record Dataset(UUID id, UUID tableId, UUID mapId, String tableName, long tableOid, Privacy privacy,
                      String displayName, String description, List<String> tags, String source, String title,
                      String license, String attributions, boolean locked, OffsetDateTime createdAt,
                      OffsetDateTime updatedAt, String schema, long size, long estimatedRows) {

    /** The editable part, as PUT /api/v1/viz/:id changes it. */
    public record Edit(String name, Privacy privacy, String displayName, String description, List<String> tags,
                       String source, String title, String license, String attributions, boolean locked) {
    }

    public Edit edit() {
        return new Edit(tableName, privacy, displayName, description, tags, source, title, license, attributions, locked);
    }
}
