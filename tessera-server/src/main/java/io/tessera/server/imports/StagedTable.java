package io.tessera.server.imports;

/**
 * A table loaded into the user's staging schema, waiting to be published: its staging name, the name it
 * should get (before de-duplication), the rows loaded and how many rows lost their geometry or were
 * ragged (bad input is counted, not fatal).
 */
public record StagedTable(String stagingName, String proposedName, long rows, long invalidGeometries, long raggedRows) {
}
