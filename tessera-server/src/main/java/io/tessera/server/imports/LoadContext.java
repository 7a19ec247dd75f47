package io.tessera.server.imports;

import java.sql.Connection;

/**
 * What a loader needs: the owner's connection (autocommit; the load commits as it goes, in staging only),
 * the staging schema, a unique prefix for staging names, limits, options, a progress sink, and where to
 * announce each external process started (so a job that is given up can stop it).
 */
public record LoadContext(Connection owner, String stagingSchema, String stagingPrefix, ImportSettings settings,
                          ImportOptions options, Progress progress, java.util.function.Consumer<Process> processes) {

    /** Where a running import reports how far it got (rows so far); called every few thousand rows. */
    @FunctionalInterface
    public interface Progress {
        void rows(long loaded);
    }

    public String stagingName(int n) {
        return stagingPrefix + "_" + n;
    }
}
