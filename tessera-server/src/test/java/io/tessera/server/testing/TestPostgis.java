package io.tessera.server.testing;

import io.tessera.server.auth.Accounts;
import io.tessera.server.config.TesseraConfig;
import io.tessera.server.db.EmbeddedPostgres;
import io.tessera.server.db.Platform;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The PostGIS fixture: one embedded cluster per test JVM (the production {@link EmbeddedPostgres},
 * fsync off, in a temp directory removed at exit), migrated, with accounts. Tests isolate by user.
 */
public final class TestPostgis {
    private static final AtomicInteger USERS = new AtomicInteger();
    private static Platform platform;
    private static TesseraConfig config;

    private TestPostgis() {
    }

    /** The shared platform, started on first use. */
    public static synchronized Platform platform() {
        if (platform == null) {
            try {
                Path home = Files.createTempDirectory("tessera-test");
                config = TesseraConfig.load(Map.of("TESSERA_PORT", "0", "TESSERA_DEMO", "false",
                        "TESSERA_DURABLE", "false", "TESSERA_HOME", home.toString(), "TESSERA_DATABASE_URL",
                        System.getenv().getOrDefault("TESSERA_TEST_DATABASE_URL", "")), System.getenv());
                platform = Platform.start(config);
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    platform.close();
                    try {
                        EmbeddedPostgres.deleteTree(home);
                    } catch (IOException e) {
                        // best effort at exit
                    }
                }));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return platform;
    }

    /** The configuration the shared platform runs with (port 0, demo off, fsync off). */
    public static synchronized TesseraConfig config() {
        platform();
        return config;
    }

    /** A fresh user whose name starts with {@code prefix}, unique in this JVM. */
    public static Accounts.Created newUser(String prefix) {
        return newUser(prefix, null);
    }

    public static Accounts.Created newUser(String prefix, Integer sqlTimeoutMs) {
        String name = prefix + "-" + ProcessHandle.current().pid() + "-" + USERS.incrementAndGet();
        try {
            return platform().accounts().create(name, name + "@example.com", sqlTimeoutMs);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
