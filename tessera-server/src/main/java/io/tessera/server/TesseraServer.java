package io.tessera.server;

import io.helidon.webserver.WebServer;
import io.tessera.server.admin.DemoData;
import io.tessera.server.auth.RequestAuth;
import io.tessera.server.batch.BatchModule;
import io.tessera.server.copy.CopyModule;
import io.tessera.server.config.TesseraConfig;
import io.tessera.server.datasets.DatasetsModule;
import io.tessera.server.db.Platform;
import io.tessera.server.http.Router;
import io.tessera.server.imports.ImportsModule;
import io.tessera.server.keys.KeysModule;
import io.tessera.server.maps.MapsModule;
import io.tessera.server.module.ApiModule;
import io.tessera.server.module.ServerContext;
import io.tessera.server.module.ServerInfoModule;
import io.tessera.server.orgs.OrganizationsModule;
import io.tessera.server.sql.SqlModule;
import io.tessera.server.sync.SyncModule;
import io.tessera.server.sql.Watchdog;
import io.tessera.server.users.UsersModule;
import java.io.IOException;
import java.util.List;
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
    private final List<ApiModule> modules;
    private final WebServer web;

    private TesseraServer(TesseraConfig config, Platform platform, Watchdog watchdog, List<ApiModule> modules, WebServer web) {
        this.config = config;
        this.platform = platform;
        this.watchdog = watchdog;
        this.modules = modules;
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
        return new TesseraServer(config, null, s.watchdog, s.modules, s.web);
    }

    private static TesseraServer start(TesseraConfig config, Platform platform) {
        Watchdog watchdog = new Watchdog();
        platform.changeFeed().start();
        ServerContext ctx = new ServerContext(config, platform, new RequestAuth(platform.accounts()), watchdog);
        // Every API is one module; add a new one here.
        List<ApiModule> modules = List.of(
                new ServerInfoModule(VERSION, CARTO_SQL_API_VERSION),
                new SqlModule(ctx),
                new KeysModule(ctx),
                new UsersModule(ctx),
                new OrganizationsModule(ctx),
                new BatchModule(ctx),
                new CopyModule(ctx),
                new MapsModule(ctx),
                new DatasetsModule(ctx),
                new ImportsModule(ctx),
                new SyncModule(ctx));
        Router router = new Router(config.http().maxParamBodyBytes());
        modules.forEach(m -> m.register(router));
        WebServer web = WebServer.builder()
                .host(config.bindAddress())
                .port(config.port())
                .shutdownHook(false)
                // Helidon 4.4.0's NIO socket loses bytes on partial writes to slow readers (helidon#11340,
                // #11353: malformed chunked bodies); the blocking socket writes every byte.
                .useNio(false)
                .contentEncoding(io.tessera.server.http.PassThroughEncoding.INSTANCE)
                // A streamed answer is several writes (headers, chunks); with Nagle on, each waits for the client's
                // delayed ACK (~40 ms on Linux). Measured by bin/bench P1.
                .connectionOptions(o -> o.tcpNoDelay(true))
                .maxConcurrentRequests(config.http().maxConcurrentRequests())
                .routing(r -> r.any(router))
                .build()
                .start();
        LOG.info("Tessera {} listening on {}:{}", VERSION, config.bindAddress(), web.port());
        return new TesseraServer(config, platform, watchdog, modules, web);
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
        for (ApiModule m : modules.reversed()) {
            try {
                m.close();
            } catch (Exception e) {
                LOG.warn("stopping {} failed: {}", m.getClass().getSimpleName(), e.toString());
            }
        }
        watchdog.close();
        if (platform != null) {
            platform.close();
        }
    }
}
