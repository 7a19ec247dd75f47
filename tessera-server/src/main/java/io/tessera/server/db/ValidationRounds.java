package io.tessera.server.db;

import io.tessera.server.db.ChangeFeed.Round;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group validation for the {@link ChangeFeed}: a round commits {@code pg_notify(<this node's round channel>, seq)}
 * on a connection of its own, reading the role-state fingerprint in the same statement, and is complete once the
 * feed's listener has received that notification. PostgreSQL queues notifications in commit order (writers hold a
 * lock from queueing until after their commit; the NOTIFY reference: "messages from different transactions are
 * delivered in the order in which the transactions committed"), and the listener reads the queue in order, so by
 * the time the round's own message arrives, every notification of a transaction committed before the round began
 * has been applied. Requests wait for the first round that starts after they ask; at most one round is in flight
 * and the next starts as soon as it ends if anyone waits, so many requests share one round trip.
 */
final class ValidationRounds implements AutoCloseable {
    /** What the rounds need from the feed. */
    interface Listener {
        boolean listening();

        /** Called with each round's finding before the round completes. */
        void ddlTracked(boolean tracked);

        /** Several rounds in a row never came back: the listening connection may be dead without knowing it. */
        void roundsLost();
    }

    /** Whether both DDL event triggers of migration V57 exist and are enabled. */
    static final String TRACKED = "(SELECT count(*) = 2 FROM pg_catalog.pg_event_trigger "
            + "WHERE evtname IN ('tessera_ddl_end', 'tessera_ddl_drop') AND evtenabled <> 'D')";
    private static final String SQL = "SELECT pg_catalog.pg_notify(?, ?), cartodb._tessera_role_state(), " + TRACKED;
    private static final Logger LOG = LoggerFactory.getLogger(ValidationRounds.class);
    private static final long ROUND_LIMIT_MS = 500;

    private final DatabaseEndpoint endpoint;
    private final String channel;
    private final Listener feed;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wanted = lock.newCondition();
    private boolean requested;
    private CompletableFuture<Round> next = new CompletableFuture<>();
    private volatile InFlight inFlight;
    private volatile boolean closed;
    private Thread thread;
    private Connection conn;
    private PreparedStatement statement;
    private long seq;

    ValidationRounds(DatabaseEndpoint endpoint, String channel, Listener feed) {
        this.endpoint = endpoint;
        this.channel = channel;
        this.feed = feed;
    }

    void start() {
        thread = Thread.ofPlatform().daemon().name("feed-rounds").start(this::run);
    }

    /**
     * Waits for a round that started after this call; null if the feed is not listening, the round failed or
     * {@code boundMillis} passed first.
     */
    Round await(long boundMillis) {
        if (!feed.listening() || closed) {
            return null;
        }
        CompletableFuture<Round> f;
        lock.lock();
        try {
            requested = true;
            f = next; // the round thread swaps it before it sends: this one starts after now
            wanted.signal();
        } finally {
            lock.unlock();
        }
        try {
            return f.get(boundMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** The listener received a round's notification. */
    void heard(String payload) {
        InFlight f = inFlight;
        if (f != null && Long.toString(f.seq).equals(payload)) {
            f.part();
        }
    }

    /** The listener lost its connection: the round in flight cannot come back. */
    void listenerDown() {
        InFlight f = inFlight;
        if (f != null) {
            f.future.complete(null);
        }
    }

    private void run() {
        int lost = 0;
        while (!closed) {
            CompletableFuture<Round> f;
            lock.lock();
            try {
                while (!requested && !closed) {
                    wanted.awaitUninterruptibly();
                }
                f = next;
                next = new CompletableFuture<>();
                requested = false;
            } finally {
                lock.unlock();
            }
            if (closed || !feed.listening()) {
                f.complete(null);
                continue;
            }
            InFlight round = new InFlight(++seq, f);
            inFlight = round;
            try {
                send(round);
                f.get(ROUND_LIMIT_MS, TimeUnit.MILLISECONDS);
                lost = 0;
            } catch (TimeoutException e) {
                f.complete(null);
                if (++lost >= 3) {
                    lost = 0;
                    feed.roundsLost();
                }
            } catch (SQLException | RuntimeException | ExecutionException e) {
                f.complete(null);
                disconnect();
                if (!closed) {
                    LOG.warn("validation round failed ({}); cached tiles revalidate on the database meanwhile", e.getMessage());
                    pause();
                }
            } catch (InterruptedException e) {
                f.complete(null);
                return;
            } finally {
                inFlight = null;
            }
        }
        disconnect();
    }

    private void send(InFlight round) throws SQLException {
        if (conn == null) {
            Properties p = new Properties();
            p.setProperty("user", endpoint.adminUser());
            if (endpoint.adminPassword() != null) {
                p.setProperty("password", endpoint.adminPassword());
            }
            p.setProperty("ApplicationName", "tessera-feed-rounds");
            p.setProperty("prepareThreshold", "1");
            conn = DriverManager.getConnection(endpoint.jdbcUrl(), p);
            try (Statement s = conn.createStatement()) {
                // a round's commit needs no durability: nothing is written but the notification
                s.execute("SET synchronous_commit = off");
                s.execute("SET statement_timeout = '5s'");
            }
            statement = conn.prepareStatement(SQL);
        }
        statement.setString(1, channel);
        statement.setString(2, Long.toString(round.seq));
        try (ResultSet rs = statement.executeQuery()) {
            rs.next();
            boolean tracked = rs.getBoolean(3);
            feed.ddlTracked(tracked);
            round.result = new Round(round.seq, rs.getString(2), tracked);
        }
        round.part();
    }

    private void disconnect() {
        if (conn != null) {
            try {
                conn.close();
            } catch (SQLException e) {
                // already broken
            }
        }
        conn = null;
        statement = null;
    }

    private void pause() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    @Override
    public void close() {
        closed = true;
        lock.lock();
        try {
            wanted.signalAll();
        } finally {
            lock.unlock();
        }
        if (thread != null) {
            thread.interrupt();
        }
    }

    /** A round on its way: complete when both its query result and its notification are in. */
    private static final class InFlight {
        final long seq;
        final CompletableFuture<Round> future;
        final AtomicInteger missing = new AtomicInteger(2);
        volatile Round result;

        InFlight(long seq, CompletableFuture<Round> future) {
            this.seq = seq;
            this.future = future;
        }

        void part() {
            if (missing.decrementAndGet() == 0) {
                future.complete(result);
            }
        }
    }
}
