package io.tessera.server.sql;

import java.util.Map;

/**
 * Limits of the SQL API's file exports, read from the environment and checked at start.
 *
 * @param ogrTimeoutMs   TESSERA_EXPORT_TIMEOUT_MS: wall clock of one ogr2ogr export (kml, shp, gpkg,
 *                       spatialite), killed past it (→ 429, as CARTO's export_command_timeout). Default 300000.
 * @param ogrMaxBytes    TESSERA_EXPORT_MAX_BYTES: largest file ogr2ogr may write (RLIMIT_FSIZE). Default 4 GiB.
 * @param ogrMemoryBytes TESSERA_EXPORT_MEMORY_BYTES: address space of the ogr2ogr process (RLIMIT_AS). Default 2 GiB.
 * @param maxRows        TESSERA_EXPORT_MAX_ROWS: rows a topojson or svg answer may hold; they are built in
 *                       memory, so past it the request fails with 400 and a clear message. Default 100000.
 */
public record ExportLimits(long ogrTimeoutMs, long ogrMaxBytes, long ogrMemoryBytes, int maxRows) {

    public ExportLimits {
        if (ogrTimeoutMs <= 0 || ogrMaxBytes <= 0 || ogrMemoryBytes <= 0 || maxRows <= 0) {
            throw new IllegalArgumentException("TESSERA_EXPORT_* limits must be positive");
        }
    }

    public static ExportLimits load(Map<String, String> env) {
        return new ExportLimits(
                number(env, "TESSERA_EXPORT_TIMEOUT_MS", 300_000),
                number(env, "TESSERA_EXPORT_MAX_BYTES", 4L << 30),
                number(env, "TESSERA_EXPORT_MEMORY_BYTES", 2L << 30),
                (int) Math.min(Integer.MAX_VALUE, number(env, "TESSERA_EXPORT_MAX_ROWS", 100_000)));
    }

    private static long number(Map<String, String> env, String key, long def) {
        String v = env.get(key);
        if (v == null || v.isBlank()) {
            return def;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be an integer, got '" + v + "'");
        }
    }
}
