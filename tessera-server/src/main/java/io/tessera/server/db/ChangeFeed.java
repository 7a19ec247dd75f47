package io.tessera.server.db;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLongArray;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What this node has heard about changes in the database, from ONE admin connection that LISTENs (migrations V10
 * and V57): table change stamps ({@link KnownStamps}), DDL ({@link Epochs}: soft for table-scoped commands, hard for
 * anything else), writes of users/keys and of named-map templates ({@link Topic} generations), and its own
 * {@link ValidationRounds}. While it is not listening nothing it says is trusted: stamps are not kept, epochs and
 * generations move on every (re)connect, and {@link #awaitRound} answers null so callers take the database path.
 */
public final class ChangeFeed implements AutoCloseable {
    /** Something cached from Tessera's own tables, dropped on every node when a write notifies its channel. */
    public enum Topic {
        ACCOUNTS("tessera_accounts"), TEMPLATES("tessera_templates");

        final String channel;

        Topic(String channel) {
            this.channel = channel;
        }
    }

    /**
     * DDL heard so far: {@code soft} moves on every DDL command, {@code hard} only on commands that are not
     * table-scoped (and on every reconnect, since anything may have been missed). Hard moves imply soft moves.
     */
    public record Epochs(long soft, long hard) {
    }

    /** A completed validation round: its role-state fingerprint, and whether the DDL event triggers exist. */
    public record Round(long seq, String roleState, boolean ddlTracked) {
    }

    public static final String STAMPS_CHANNEL = "tessera_table_stamps";
    static final String DDL_CHANNEL = "tessera_ddl";
    /** How long a request waits for a validation round before taking the database path. */
    static final long ROUND_BOUND_MS = 100;
    private static final Logger LOG = LoggerFactory.getLogger(ChangeFeed.class);

    private final DatabaseEndpoint endpoint;
    private final String roundChannel = "tessera_round_" + HexFormat.of().formatHex(new SecureRandom().generateSeed(8));
    private final KnownStamps stamps = new KnownStamps();
    private final AtomicLongArray generations = new AtomicLongArray(Topic.values().length);
    private final ValidationRounds rounds;
    private volatile Epochs epochs = new Epochs(0, 0);
    private volatile boolean listening;
    private volatile boolean ddlTracked;
    private volatile boolean reconnect;
    private volatile boolean closed;
    private Thread listener;

    public ChangeFeed(DatabaseEndpoint endpoint) {
        this.endpoint = endpoint;
        this.rounds = new ValidationRounds(endpoint, roundChannel, new ValidationRounds.Listener() {
            @Override
            public boolean listening() {
                return listening;
            }

            @Override
            public void ddlTracked(boolean tracked) {
                if (tracked && !ddlTracked) {
                    bump(true); // DDL while the triggers were away went unheard
                }
                ddlTracked = tracked;
            }

            @Override
            public void roundsLost() {
                reconnect = true;
            }
        });
    }

    /** Starts listening (a server calls this; admin tools never do). Idempotent. */
    public synchronized void start() {
        if (listener == null && !closed) {
            listener = Thread.ofPlatform().daemon().name("change-feed").start(this::listen);
            rounds.start();
        }
    }

    /** True while the listening connection is up: notifications are being applied. */
    public boolean live() {
        return listening;
    }

    /** True while listening with the DDL event triggers in place: epochs then say whether DDL happened. */
    public boolean tracking() {
        return listening && ddlTracked;
    }

    public Epochs epochs() {
        return epochs;
    }

    public long generation(Topic t) {
        return generations.get(t.ordinal());
    }

    public KnownStamps stamps() {
        return stamps;
    }

    /**
     * Waits (at most {@value #ROUND_BOUND_MS} ms) for a validation round that started after this call; once it
     * returns non-null, everything committed before the call has reached this feed. Null: take the database path.
     */
    public Round awaitRound() {
        return rounds.await(ROUND_BOUND_MS);
    }

    private synchronized void bump(boolean hard) {
        Epochs e = epochs;
        epochs = new Epochs(e.soft() + 1, hard ? e.hard() + 1 : e.hard());
    }

    private void forgetEverything(boolean keepStamps) {
        stamps.reset(keepStamps);
        bump(true);
        for (Topic t : Topic.values()) {
            generations.incrementAndGet(t.ordinal());
        }
    }

    private void listen() {
        while (!closed) {
            try (Connection c = connect()) {
                try (Statement st = c.createStatement()) {
                    for (String ch : new String[] {STAMPS_CHANNEL, DDL_CHANNEL, Topic.ACCOUNTS.channel,
                            Topic.TEMPLATES.channel, roundChannel}) {
                        st.execute("LISTEN " + ch);
                    }
                    try (ResultSet rs = st.executeQuery("SELECT 0, '', " + ValidationRounds.TRACKED)) {
                        rs.next();
                        ddlTracked = rs.getBoolean(3);
                    }
                }
                // Anything that happened while no one listened is unknown: start over (after LISTEN, so nothing
                // committed from now on can be missed).
                forgetEverything(true);
                listening = true;
                reconnect = false;
                PGConnection pg = c.unwrap(PGConnection.class);
                while (!closed && !reconnect) {
                    PGNotification[] batch = pg.getNotifications(500);
                    if (batch != null) {
                        for (PGNotification n : batch) {
                            apply(n); // in queue order: a round completes only after what came before it
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (!closed) {
                    LOG.warn("change feed lost its connection ({}); tiles and stamps are read from the database until it is back",
                            e.getMessage());
                }
            } finally {
                listening = false;
                forgetEverything(false);
                rounds.listenerDown();
            }
            pause();
        }
    }

    private void apply(PGNotification n) {
        String channel = n.getName();
        String payload = n.getParameter();
        if (channel.equals(STAMPS_CHANNEL)) {
            stamps.invalidate(Long.parseLong(payload));
        } else if (channel.equals(DDL_CHANNEL)) {
            bump(payload.equals("hard"));
        } else if (channel.equals(roundChannel)) {
            rounds.heard(payload);
        } else {
            for (Topic t : Topic.values()) {
                if (channel.equals(t.channel)) {
                    generations.incrementAndGet(t.ordinal());
                }
            }
        }
    }

    private Connection connect() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", endpoint.adminUser());
        if (endpoint.adminPassword() != null) {
            p.setProperty("password", endpoint.adminPassword());
        }
        p.setProperty("ApplicationName", "tessera-feed");
        p.setProperty("tcpKeepAlive", "true");
        return DriverManager.getConnection(endpoint.jdbcUrl(), p);
    }

    private void pause() {
        if (closed) {
            return;
        }
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    @Override
    public void close() {
        closed = true;
        rounds.close();
        if (listener != null) {
            listener.interrupt();
        }
    }
}
