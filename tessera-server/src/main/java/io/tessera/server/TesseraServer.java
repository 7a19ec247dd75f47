package io.tessera.server;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;
import io.tessera.server.admin.DemoData;
import io.tessera.server.auth.RequestAuth;
import io.tessera.server.config.TesseraConfig;
import io.tessera.server.db.Platform;
import io.tessera.server.http.Json;
import io.tessera.server.http.Router;
import io.tessera.server.sql.QueryRunner;
import io.tessera.server.sql.SqlHandler;
import io.tessera.server.sql.ValueWriter;
import io.tessera.server.sql.Watchdog;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tessera's one entry point: {@code TesseraServer.start(config)} starts the database side and the HTTP
 * server (Helidon SE, a virtual thread per request) and returns with the bound port; port 0 picks a
 * free one, so tests start as many servers as they like.
 */
public final class TesseraServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TesseraServer.class);
    public static final String VERSION = "0.1.0";
    static final String CARTO_SQL_API_VERSION = "6.0.0";

    private final TesseraConfig config;
    private final Platform platform;
    private final Watchdog watchdog;
    private final WebServer web;

    private TesseraServer(TesseraConfig config, Platform platform, Watchdog watchdog, WebServer web) {
        this.config = config;
        this.platform = platform;
        this.watchdog = watchdog;
        this.web = web;
    }

    /** Starts on a platform of its own (embedded or external database, per the config). */
    public static TesseraServer start(TesseraConfig config) throws IOException {
        Platform platform = Platform.start(config);
        try {
            if (config.demo()) {
                DemoData.ensure(platform);
            }
            return start(config, platform);
        } catch (java.sql.SQLException e) {
            platform.close();
            throw new IOException("cannot prepare the demo user: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            platform.close();
            throw e;
        }
    }

    /** The demo user's master key, if this server's platform has one (for the start banner). */
    public java.util.Optional<String> demoMasterKey() throws java.sql.SQLException {
        return platform == null ? java.util.Optional.empty() : platform.accounts().masterKey(DemoData.USER);
    }

    /** Starts on an already running platform (tests share one per JVM); closing the server leaves it running. */
    public static TesseraServer startOn(TesseraConfig config, Platform platform) {
        TesseraServer s = start(config, platform);
        return new TesseraServer(config, null, s.watchdog, s.web);
    }

    private static TesseraServer start(TesseraConfig config, Platform platform) {
        Watchdog watchdog = new Watchdog();
        RequestAuth auth = new RequestAuth(platform.accounts());
        SqlHandler sql = new SqlHandler(auth, platform.pools(), watchdog, new QueryRunner(config.fetchSize()),
                new ValueWriter(config.timeZone()), config.sqlTimeoutMs());
        Router router = new Router()
                .add(Set.of(), "/api/{version}/sql", sql)
                .add(Set.of("GET"), "/api/{version}/version", (req, res) -> {
                    res.header(HeaderNames.CONTENT_TYPE, "application/json; charset=utf-8");
                    res.send(Json.object().put("cartodb_sql_api", CARTO_SQL_API_VERSION).put("tessera", VERSION).toString());
                })
                .add(Set.of("GET"), "/api/{version}/health", (req, res) -> {
                    res.header(HeaderNames.CONTENT_TYPE, "application/json; charset=utf-8");
                    res.send(Json.object().put("enabled", true).put("ok", true).put("elapsed", 0).toString());
                })
                .add(Set.of("GET"), "/openapi.yaml", (req, res) -> {
                    res.header(HeaderNames.CONTENT_TYPE, "application/yaml; charset=utf-8");
                    res.send(resource("/openapi.yaml"));
                })
                .add(Set.of("GET"), "/", (req, res) -> {
                    res.header(HeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
                    res.send(("Tessera " + VERSION + " is running. SQL API: /user/<username>/api/v2/sql?q=...\n"
                            + "API description: /openapi.yaml\n").getBytes(StandardCharsets.UTF_8));
                });
        WebServer web = WebServer.builder()
                .host(config.bindAddress())
                .port(config.port())
                .shutdownHook(false)
                // Helidon 4.4.0's NIO socket loses bytes on partial writes to slow readers (helidon#11340,
                // #11353: malformed chunked bodies); the blocking socket writes every byte.
                .useNio(false)
                .routing(r -> r.any(router))
                .build()
                .start();
        LOG.info("Tessera {} listening on {}:{}", VERSION, config.bindAddress(), web.port());
        return new TesseraServer(config, platform, watchdog, web);
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = TesseraServer.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("missing resource " + name);
            }
            return in.readAllBytes();
        }
    }

    public int port() {
        return web.port();
    }

    public TesseraConfig config() {
        return config;
    }

    @Override
    public void close() {
        web.stop();
        watchdog.close();
        if (platform != null) {
            platform.close();
        }
    }
}
