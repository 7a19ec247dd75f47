package io.tessera.server.config;

import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Every server setting: a name, a default, a unit and a line of doc; read from flags, then environment,
 * with bad values failing at start naming the key.
 *
 * @param port             TESSERA_PORT: HTTP port (0 = any free port). Default 8080.
 * @param bindAddress      TESSERA_BIND: address to listen on. Default 127.0.0.1.
 * @param home             TESSERA_HOME: data directory (embedded cluster in {@code home/pg}, secrets file).
 * @param databaseUrl      TESSERA_DATABASE_URL: external PostGIS ({@code postgresql://user:pass@host:port/db}); empty = embedded.
 * @param serverSecret     TESSERA_SECRET: secret role passwords derive from (external database only; embedded keeps its own).
 * @param durable          TESSERA_DURABLE: fsync on the embedded cluster (false only for tests). Default true.
 * @param sqlTimeoutMs     TESSERA_SQL_TIMEOUT_MS: default wall-clock limit of one SQL API request, ms. Default 30000.
 * @param fetchSize        TESSERA_FETCH_SIZE: rows per cursor fetch when streaming results. Default 1000 (P2: 2000 made 1M-row JSON and GeoJSON exports 12–15% slower; PostgreSQL sat idle longer between fetches).
 * @param poolPerRole      TESSERA_POOL_PER_ROLE: connections per key role. Default 6.
 * @param maxRolePools     TESSERA_MAX_ROLE_POOLS: role pools alive at once. Default 24.
 * @param pgMaxConnections TESSERA_PG_MAX_CONNECTIONS: max_connections of the embedded cluster. Default 200.
 * @param pgBin            TESSERA_PG_BIN: directory of initdb/pg_ctl (default: Debian's newest with PostGIS).
 * @param timeZone         TESSERA_TIMEZONE: zone dates are written in by the SQL API. Default: the JVM's zone.
 * @param demo             TESSERA_DEMO: create the demo user and sample data on first start. Default true.
 * @param publicUrl        TESSERA_PUBLIC_URL: base URL printed for clients. Default http://localhost:PORT.
 * @param jobs             background jobs and the Batch and COPY APIs' limits (see {@link JobLimits}).
 * @param http             limits of HTTP requests (see {@link HttpLimits}).
 */
public record TesseraConfig(int port, String bindAddress, Path home, String databaseUrl, String serverSecret,
                            boolean durable, int sqlTimeoutMs, int fetchSize, int poolPerRole, int maxRolePools,
                            int pgMaxConnections, String pgBin, ZoneId timeZone, boolean demo, String publicUrl,
                            JobLimits jobs, HttpLimits http) {

    /**
     * Limits of HTTP requests: they bound the memory requests can take before anyone is authenticated.
     *
     * @param maxParamBodyBytes     TESSERA_MAX_PARAM_BODY: largest form or JSON body read as parameters (SQL
     *                              {@code q}, map configs, …), bytes. Default 8 MiB. Uploads (imports, COPY) stream
     *                              and have their own limits.
     * @param maxConcurrentRequests TESSERA_MAX_CONCURRENT_REQUESTS: requests served at once; more wait. Default 1024.
     */
    public record HttpLimits(int maxParamBodyBytes, int maxConcurrentRequests) {
        public HttpLimits {
            if (maxParamBodyBytes <= 0 || maxConcurrentRequests <= 0) {
                throw new IllegalArgumentException("TESSERA_MAX_PARAM_BODY and TESSERA_MAX_CONCURRENT_REQUESTS must be positive");
            }
        }

        static HttpLimits load(Function<String, String> get) {
            return new HttpLimits(intSetting(get, "TESSERA_MAX_PARAM_BODY", 8 << 20),
                    intSetting(get, "TESSERA_MAX_CONCURRENT_REQUESTS", 1024));
        }
    }

    /**
     * Limits of work that outlives a request and of bulk data.
     *
     * @param leaseMs         TESSERA_JOB_LEASE_MS: a job's lease; another node fails a job whose node went silent
     *                        this long. Default 30000.
     * @param batchWorkers    TESSERA_BATCH_WORKERS: Batch SQL jobs run at once per node (one per user). Default 4.
     * @param batchMaxQueued  TESSERA_BATCH_MAX_QUEUED: pending Batch jobs per user. Default 64.
     * @param batchTimeoutMs  TESSERA_BATCH_TIMEOUT_MS: wall-clock limit of one Batch query, ms. Default 12 h.
     * @param batchMaxPayload TESSERA_BATCH_MAX_PAYLOAD: largest Batch request body, bytes of JSON. Default 16384.
     * @param copyMaxBytes    TESSERA_COPY_MAX_BYTES: largest COPY FROM upload, counted after gunzip. Default 20 GiB.
     * @param copyTimeoutMs   TESSERA_COPY_TIMEOUT_MS: wall-clock limit of one COPY request, ms. Default 5 h.
     */
    public record JobLimits(int leaseMs, int batchWorkers, int batchMaxQueued, long batchTimeoutMs, int batchMaxPayload,
                            long copyMaxBytes, long copyTimeoutMs) {
        public JobLimits {
            if (leaseMs < 300 || batchWorkers <= 0 || batchMaxQueued <= 0 || batchTimeoutMs <= 0 || batchMaxPayload <= 0
                    || copyMaxBytes <= 0 || copyTimeoutMs <= 0) {
                throw new IllegalArgumentException("TESSERA_JOB_LEASE_MS (>= 300), TESSERA_BATCH_* and TESSERA_COPY_* "
                        + "settings must be positive");
            }
        }

        static JobLimits load(Function<String, String> get) {
            return new JobLimits(intSetting(get, "TESSERA_JOB_LEASE_MS", 30_000),
                    intSetting(get, "TESSERA_BATCH_WORKERS", 4),
                    intSetting(get, "TESSERA_BATCH_MAX_QUEUED", 64),
                    longSetting(get, "TESSERA_BATCH_TIMEOUT_MS", 12L * 3600 * 1000),
                    intSetting(get, "TESSERA_BATCH_MAX_PAYLOAD", 16384),
                    longSetting(get, "TESSERA_COPY_MAX_BYTES", 20L << 30),
                    longSetting(get, "TESSERA_COPY_TIMEOUT_MS", 5L * 3600 * 1000));
        }
    }

    public TesseraConfig {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("TESSERA_PORT must be 0-65535, got " + port);
        }
        if (sqlTimeoutMs <= 0) {
            throw new IllegalArgumentException("TESSERA_SQL_TIMEOUT_MS must be positive");
        }
        if (fetchSize <= 0) {
            throw new IllegalArgumentException("TESSERA_FETCH_SIZE must be positive");
        }
        if (poolPerRole <= 0 || maxRolePools <= 0) {
            throw new IllegalArgumentException("TESSERA_POOL_PER_ROLE and TESSERA_MAX_ROLE_POOLS must be positive");
        }
    }

    public Optional<String> externalDatabase() {
        return databaseUrl == null || databaseUrl.isBlank() ? Optional.empty() : Optional.of(databaseUrl);
    }

    /** Reads settings from {@code overrides} (flags, keyed by env name) then the environment. */
    public static TesseraConfig load(Map<String, String> overrides, Map<String, String> env) {
        Function<String, String> get = k -> overrides.containsKey(k) ? overrides.get(k) : env.get(k);
        return new TesseraConfig(
                intSetting(get, "TESSERA_PORT", 8080),
                str(get, "TESSERA_BIND", "127.0.0.1"),
                Path.of(str(get, "TESSERA_HOME", defaultHome(env))).toAbsolutePath(),
                str(get, "TESSERA_DATABASE_URL", ""),
                str(get, "TESSERA_SECRET", ""),
                boolSetting(get, "TESSERA_DURABLE", true),
                intSetting(get, "TESSERA_SQL_TIMEOUT_MS", 30_000),
                intSetting(get, "TESSERA_FETCH_SIZE", 1000),
                intSetting(get, "TESSERA_POOL_PER_ROLE", 6),
                intSetting(get, "TESSERA_MAX_ROLE_POOLS", 24),
                intSetting(get, "TESSERA_PG_MAX_CONNECTIONS", 200),
                str(get, "TESSERA_PG_BIN", ""),
                zone(str(get, "TESSERA_TIMEZONE", "")),
                boolSetting(get, "TESSERA_DEMO", true),
                str(get, "TESSERA_PUBLIC_URL", ""),
                JobLimits.load(get),
                HttpLimits.load(get));
    }

    /** Root's data lives where the postgres system user can reach it (not under /root). */
    static String defaultHome(Map<String, String> env) {
        if ("root".equals(System.getProperty("user.name"))) {
            return "/var/lib/tessera";
        }
        String xdg = env.get("XDG_DATA_HOME");
        String base = xdg != null && !xdg.isBlank() ? xdg : System.getProperty("user.home") + "/.local/share";
        return base + "/tessera";
    }

    private static String str(Function<String, String> get, String key, String def) {
        String v = get.apply(key);
        return v == null ? def : v.trim();
    }

    private static int intSetting(Function<String, String> get, String key, int def) {
        String v = get.apply(key);
        if (v == null || v.isBlank()) {
            return def;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be an integer, got '" + v + "'");
        }
    }

    private static long longSetting(Function<String, String> get, String key, long def) {
        String v = get.apply(key);
        if (v == null || v.isBlank()) {
            return def;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be an integer, got '" + v + "'");
        }
    }

    private static boolean boolSetting(Function<String, String> get, String key, boolean def) {
        String v = get.apply(key);
        if (v == null || v.isBlank()) {
            return def;
        }
        return switch (v.trim().toLowerCase()) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw new IllegalArgumentException(key + " must be true or false, got '" + v + "'");
        };
    }

    private static ZoneId zone(String v) {
        if (v.isEmpty()) {
            return ZoneId.systemDefault();
        }
        try {
            return ZoneId.of(v);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("TESSERA_TIMEZONE is not a zone id: " + v);
        }
    }

    /** A copy with another port, home and durability: what tests and forked servers change. */
    public TesseraConfig with(int newPort, Path newHome, boolean newDurable) {
        return new TesseraConfig(newPort, bindAddress, newHome, databaseUrl, serverSecret, newDurable, sqlTimeoutMs,
                fetchSize, poolPerRole, maxRolePools, pgMaxConnections, pgBin, timeZone, demo, publicUrl, jobs, http);
    }

    /** A copy with other job and bulk-data limits (tests use small ones). */
    public TesseraConfig withJobs(JobLimits newJobs) {
        return new TesseraConfig(port, bindAddress, home, databaseUrl, serverSecret, durable, sqlTimeoutMs,
                fetchSize, poolPerRole, maxRolePools, pgMaxConnections, pgBin, timeZone, demo, publicUrl, newJobs, http);
    }
}
