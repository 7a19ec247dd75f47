package io.tessera.server.imports;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Limits and switches of the Import API, read from the environment (a JVM system property of the same
 * name wins, so a test can start a server with its own limits). Every value has a default; a bad value
 * fails at start naming the key.
 *
 * @param maxUploadBytes     TESSERA_IMPORT_MAX_BYTES: largest upload or download (default 2 GiB); larger uploads get 413
 * @param maxUnpackedBytes   TESSERA_IMPORT_MAX_UNPACKED_BYTES: bytes an archive may inflate to (default 8 GiB)
 * @param maxArchiveEntries  TESSERA_IMPORT_MAX_ARCHIVE_ENTRIES: entries an archive may hold (default 1000)
 * @param maxRecordBytes     TESSERA_IMPORT_MAX_RECORD_BYTES: longest CSV record (default 16 MiB)
 * @param ogrTimeout         TESSERA_IMPORT_OGR_TIMEOUT_S: wall clock of one ogr2ogr run (default 3600 s)
 * @param ogrMemoryBytes     TESSERA_IMPORT_OGR_MEMORY_BYTES: address-space limit of ogr2ogr (default 4 GiB)
 * @param urlAllow           TESSERA_IMPORT_URL_ALLOW: {@code host:port} list fetched even if private/loopback (tests)
 * @param urlPorts           TESSERA_IMPORT_URL_PORTS: ports URL imports may use (default 80,443)
 * @param downloadTimeout    TESSERA_IMPORT_DOWNLOAD_TIMEOUT_S: wall clock of one download (default 900 s)
 * @param workers            TESSERA_IMPORT_WORKERS: imports running at once on this node (default 2)
 * @param maxQueued          TESSERA_IMPORT_MAX_QUEUED: unfinished imports one user may have; more get 429 before the
 *                           upload is read (default 8)
 * @param workDir            where uploads and unpacked files wait (TESSERA_HOME/imports)
 */
public record ImportSettings(long maxUploadBytes, long maxUnpackedBytes, int maxArchiveEntries, int maxRecordBytes,
                             Duration ogrTimeout, long ogrMemoryBytes, Set<String> urlAllow, Set<Integer> urlPorts,
                             Duration downloadTimeout, int workers, int maxQueued, Path workDir) {

    public static ImportSettings load(Path home) {
        Map<String, String> env = new HashMap<>(System.getenv());
        System.getProperties().forEach((k, v) -> {
            if (k.toString().startsWith("TESSERA_IMPORT_")) {
                env.put(k.toString(), v.toString());
            }
        });
        return load(env, home);
    }

    public static ImportSettings load(Map<String, String> env, Path home) {
        return new ImportSettings(
                longOf(env, "TESSERA_IMPORT_MAX_BYTES", 2L << 30),
                longOf(env, "TESSERA_IMPORT_MAX_UNPACKED_BYTES", 8L << 30),
                (int) longOf(env, "TESSERA_IMPORT_MAX_ARCHIVE_ENTRIES", 1000),
                (int) longOf(env, "TESSERA_IMPORT_MAX_RECORD_BYTES", 16L << 20),
                Duration.ofSeconds(longOf(env, "TESSERA_IMPORT_OGR_TIMEOUT_S", 3600)),
                longOf(env, "TESSERA_IMPORT_OGR_MEMORY_BYTES", 4L << 30),
                list(env.getOrDefault("TESSERA_IMPORT_URL_ALLOW", "")),
                list(env.getOrDefault("TESSERA_IMPORT_URL_PORTS", "80,443")).stream()
                        .map(p -> (int) parse("TESSERA_IMPORT_URL_PORTS", p)).collect(Collectors.toUnmodifiableSet()),
                Duration.ofSeconds(longOf(env, "TESSERA_IMPORT_DOWNLOAD_TIMEOUT_S", 900)),
                (int) longOf(env, "TESSERA_IMPORT_WORKERS", 2),
                (int) longOf(env, "TESSERA_IMPORT_MAX_QUEUED", 8),
                home.resolve("imports"));
    }

    private static Set<String> list(String s) {
        return Arrays.stream(s.split(",")).map(String::trim).filter(x -> !x.isEmpty())
                .map(x -> x.toLowerCase(java.util.Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }

    private static long longOf(Map<String, String> env, String key, long dflt) {
        String v = env.get(key);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        long n = parse(key, v);
        if (n <= 0) {
            throw new IllegalArgumentException(key + " must be positive, got " + v);
        }
        return n;
    }

    private static long parse(String key, String v) {
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number, got '" + v + "'");
        }
    }
}
