package io.tessera.server.db;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.QueryExecutor;
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
    /** After a round, how long the feed waits for the next request before it reads the socket instead. */
    private static final long ACTIVE_WAIT_MS = 20;
    private static final int IDLE_READ_MS = 20;
    private static final long ROUND_LIMIT_MS = 500;
    /**
     * Rounds start at most this often (a lone request never waits for it: the last round is long past). Each round is
     * a commit on the database, so under load spacing them lets more requests share one.
     */
    private static final long ROUND_SPACING_NANOS = Long.getLong("tessera.feed.roundSpacingMicros", 250) * 1000;
    private static final Logger LOG = LoggerFactory.getLogger(ChangeFeed.class);

    private final DatabaseEndpoint endpoint;
    private final String roundChannel = "tessera_round_" + HexFormat.of().formatHex(new SecureRandom().generateSeed(8));
    private final KnownStamps stamps = new KnownStamps();
    private final AtomicLongArray generations = new AtomicLongArray(Topic.values().length);
    private final ValidationRounds rounds = new ValidationRounds();
    private volatile Epochs epochs = new Epochs(0, 0);
    private volatile boolean listening;
    private volatile boolean ddlTracked;
    private volatile boolean closed;
    private long roundSeq;
    private Thread listener;

    public ChangeFeed(DatabaseEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    /** Starts listening (a server calls this; admin tools never do). Idempotent. */
    public synchronized void start() {
        if (listener == null && !closed) {
            listener = Thread.ofPlatform().daemon().name("change-feed").start(this::listen);
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
        return listening && !closed ? rounds.await(ROUND_BOUND_MS) : null;
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
                    // a round's commit needs no durability: it writes nothing but its notification
                    st.execute("SET synchronous_commit = off");
                    st.execute("SET statement_timeout = '5s'");
                }
                // Anything that happened while no one listened is unknown: start over (after LISTEN, so nothing
                // committed from now on can be missed).
                forgetEverything(true);
                listening = true;
                serve(c);
            } catch (SQLException | RuntimeException e) {
                if (!closed) {
                    LOG.warn("change feed lost its connection ({}); tiles and stamps are read from the database until it is back",
                            e.getMessage());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                closed = true;
            } finally {
                listening = false;
                forgetEverything(false);
                rounds.failPending();
            }
            pause();
        }
    }

    /**
     * The listening loop: a round whenever a request waits for one; otherwise the socket is read for what others
     * notified (that read returns as soon as something arrives, and at the latest after {@value #IDLE_READ_MS} ms,
     * which is then the longest a request that arrives meanwhile waits).
     */
    private void serve(Connection c) throws SQLException, InterruptedException {
        PGConnection pg = c.unwrap(PGConnection.class);
        QueryExecutor queue = c.unwrap(BaseConnection.class).getQueryExecutor();
        try (PreparedStatement round = c.prepareStatement(ValidationRounds.SQL)) {
            round.setString(1, roundChannel);
            long lastStart = System.nanoTime() - ROUND_SPACING_NANOS;
            while (!closed) {
                CompletableFuture<Round> waiting = rounds.take(ACTIVE_WAIT_MS, lastStart + ROUND_SPACING_NANOS);
                if (waiting == null) {
                    applyAll(pg.getNotifications(IDLE_READ_MS), -1);
                    continue;
                }
                lastStart = System.nanoTime();
                long seq = ++roundSeq;
                round.setString(2, Long.toString(seq));
                String state;
                boolean tracked;
                try (ResultSet rs = round.executeQuery()) {
                    rs.next();
                    state = rs.getString(2);
                    tracked = rs.getBoolean(3);
                }
                if (tracked && !ddlTracked) {
                    bump(true); // DDL while the event triggers were away went unheard
                }
                ddlTracked = tracked;
                // Since PostgreSQL 15 a backend reads the notification queue up to its head before it sends
                // ReadyForQuery when it notified itself, so the round's own message and everything queued before
                // it has arrived with the query's answer. The queue executor hands them over without the 1 ms
                // blocking peek PGConnection.getNotifications does after every call.
                boolean heard = applyAll(queue.getNotifications(), seq);
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ROUND_LIMIT_MS);
                while (!heard && System.nanoTime() < deadline) { // an older server: wait for it the usual way
                    heard = applyAll(pg.getNotifications(10), seq);
                }
                waiting.complete(heard ? new Round(seq, state, tracked) : null);
                if (!heard) {
                    throw new SQLException("validation round " + seq + " did not come back");
                }
            }
        }
    }

    /** Applies notifications in queue order; true if the round {@code seq}'s own message was among them. */
    private boolean applyAll(PGNotification[] batch, long seq) {
        boolean heard = false;
        if (batch != null) {
            for (PGNotification n : batch) {
                heard |= apply(n, seq);
            }
        }
        return heard;
    }

    private boolean apply(PGNotification n, long seq) {
        String channel = n.getName();
        String payload = n.getParameter();
        if (channel.equals(STAMPS_CHANNEL)) {
            stamps.invalidate(Long.parseLong(payload));
        } else if (channel.equals(DDL_CHANNEL)) {
            bump(payload.equals("hard"));
        } else if (channel.equals(roundChannel)) {
            return payload.equals(Long.toString(seq));
        } else {
            for (Topic t : Topic.values()) {
                if (channel.equals(t.channel)) {
                    generations.incrementAndGet(t.ordinal());
                }
            }
        }
        return false;
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
        rounds.failPending();
        if (listener != null) {
            listener.interrupt();
        }
    }
}
