package io.tessera.server.module;

import io.tessera.server.auth.RequestAuth;
import io.tessera.server.config.TesseraConfig;
import io.tessera.server.db.Platform;
import io.tessera.server.sql.Watchdog;

/**
 * What every API module is built from: the configuration, the platform (admin database, per-role pools,
 * accounts), request authentication and the per-request SQL watchdog. One per server.
 */
public record ServerContext(TesseraConfig config, Platform platform, RequestAuth auth, Watchdog watchdog) {
}
