package io.tessera.server.db;

import io.tessera.server.auth.Accounts;
import io.tessera.server.config.TesseraConfig;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The database side of Tessera, wired once: the embedded cluster (or an external PostGIS), migrations,
 * the admin pool, the per-role pools and the accounts. The server and the admin CLI verbs both start here.
 */
public final class Platform implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Platform.class);

    private final EmbeddedPostgres embedded;
    private final DatabaseEndpoint endpoint;
    private final AdminDatabase admin;
    private final RolePools pools;
    private final Accounts accounts;
    private final RolePasswords passwords;
    private final ChangeFeed feed;

    private Platform(EmbeddedPostgres embedded, DatabaseEndpoint endpoint, AdminDatabase admin, RolePools pools,
                     Accounts accounts, RolePasswords passwords, ChangeFeed feed) {
        this.passwords = passwords;
        this.feed = feed;
        this.embedded = embedded;
        this.endpoint = endpoint;
        this.admin = admin;
        this.pools = pools;
        this.accounts = accounts;
    }

    public static Platform start(TesseraConfig config) throws IOException {
        return start(config, false);
    }

    /**
     * For admin verbs: like {@link #start}, but when a running server owns the embedded cluster, works
     * through that cluster instead of failing.
     */
    public static Platform startOrAttach(TesseraConfig config) throws IOException {
        return start(config, true);
    }

    private static Platform start(TesseraConfig config, boolean attach) throws IOException {
        EmbeddedPostgres embedded = null;
        DatabaseEndpoint endpoint;
        String secret;
        if (config.externalDatabase().isPresent()) {
            endpoint = DatabaseEndpoint.parse(config.externalDatabase().get());
            if (config.serverSecret().isEmpty()) {
                throw new IllegalArgumentException("TESSERA_SECRET must be set with TESSERA_DATABASE_URL "
                        + "(role passwords derive from it; every node needs the same value)");
            }
            secret = config.serverSecret();
            LOG.info("Using external PostGIS {}", endpoint);
        } else {
            try {
                embedded = EmbeddedPostgres.start(new EmbeddedPostgres.Options(config.home(), 0, config.durable(),
                        config.pgMaxConnections(), config.pgBin()));
                endpoint = embedded.endpoint();
            } catch (EmbeddedPostgres.InUseException e) {
                if (!attach) {
                    throw e;
                }
                endpoint = EmbeddedPostgres.attach(config.home());
            }
            secret = Secrets.loadOrCreate(config.home().resolve("secrets.properties")).serverSecret();
        }
        try {
            AdminDatabase admin = new AdminDatabase(endpoint, config.sqlTimeoutMs());
            Migrations.apply(admin.dataSource());
            RolePasswords passwords = new RolePasswords(secret);
            RolePools pools = new RolePools(endpoint, passwords, admin,
                    new RolePools.Limits(config.poolPerRole(), config.maxRolePools()),
                    embedded == null ? java.util.Optional.empty() : embedded.socketFile());
            ChangeFeed feed = new ChangeFeed(endpoint); // listens only once a server starts it
            return new Platform(embedded, endpoint, admin, pools, new Accounts(admin, passwords, pools, feed), passwords, feed);
        } catch (RuntimeException e) {
            if (embedded != null) {
                embedded.close();
            }
            throw e;
        }
    }

    public DatabaseEndpoint endpoint() {
        return endpoint;
    }

    /** The embedded cluster's Unix-domain socket file, which key roles connect through; empty for an external PostGIS. */
    public java.util.Optional<java.nio.file.Path> socketFile() {
        return pools.socket();
    }

    public AdminDatabase admin() {
        return admin;
    }

    public RolePools pools() {
        return pools;
    }

    /** A key role's derived password, for tools that log in as that role (ogr2ogr), never for logs. */
    public String rolePassword(String role) {
        return passwords.passwordFor(role);
    }

    public Accounts accounts() {
        return accounts;
    }

    /** This node's change feed (started by the server, {@link ChangeFeed#start}; idle for admin tools). */
    public ChangeFeed changeFeed() {
        return feed;
    }

    @Override
    public void close() {
        feed.close();
        pools.close();
        admin.close();
        if (embedded != null) {
            embedded.close();
        }
    }
}
