package io.tessera.server.imports;

import io.tessera.server.datasets.Privacy;

/**
 * The creation options of one import (platform-api.md §1.1): guessing switches, privacy (PRIVATE by
 * default, decisions), an explicit table name and the collision strategy ({@code null} renames
 * {@code t_1}, {@code t_2} …; {@code overwrite} replaces; {@code skip} keeps the existing table).
 */
public record ImportOptions(boolean typeGuessing, boolean quotedFieldsGuessing, boolean contentGuessing,
                            boolean createVis, Privacy privacy, String tableName, String collisionStrategy) {

    public static ImportOptions defaults() {
        return new ImportOptions(true, true, false, false, Privacy.PRIVATE, null, null);
    }

    public boolean overwrite() {
        return "overwrite".equals(collisionStrategy);
    }

    public boolean skip() {
        return "skip".equals(collisionStrategy);
    }
}
