package io.tessera.server.sql;

import io.tessera.server.db.DatabaseEndpoint;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Table change stamps ({@code cartodb.cdb_tablemetadata}) for the cache headers, kept in memory and
 * dropped the moment they change: every stamp write notifies channel {@value #CHANNEL} (migration V10),
 * which this class LISTENs to on a connection of its own, so a write through any API and on any node
 * reaches every node's copy. A point query therefore pays no round trip for its {@code Last-Modified}.
 * A stamp not in memory is read on the request's own connection (the key's role, security 5), and only
 * stamps that role could read are kept. While the listener is down, nothing is kept and every lookup
 * reads the database.
 */
final class TableStamps implements AutoCloseable {
    static final String CHANNEL = "tessera_table_stamps";
    private static final Logger LOG = LoggerFactory.getLogger(TableStamps.class);
    private static final String READ = "SELECT tabname::oid, updated_at FROM cartodb._tessera_table_updated_at(?::oid[]::regclass[])";
    private static final int MAX_KEPT = 200_000;

    private final DatabaseEndpoint endpoint;
    private final Map<Long, Instant> known = new ConcurrentHashMap<>();
    // Moves on every invalidation: a read that raced one must not store what it read.
    private final AtomicLong epoch = new AtomicLong();
    private final Thread listener;
    private volatile boolean listening;
    private volatile boolean closed;

    TableStamps(DatabaseEndpoint endpoint) {
        this.endpoint = endpoint;
        this.listener = Thread.ofPlatform().daemon().name("table-stamps").start(this::listen);
    }

    /** The stamps of the given tables (by OID) that exist and the connection's role can read. */
    Map<Long, Instant> lookup(Connection c, Collection<Long> oids) throws SQLException {
        Map<Long, Instant> out = new HashMap<>();
        List<Long> missing = new ArrayList<>();
        boolean keep = listening;
        for (Long oid : oids) {
            Instant at = keep ? known.get(oid) : null;
            if (at != null) {
                out.put(oid, at);
            } else {
                missing.add(oid);
            }
        }
        if (missing.isEmpty()) {
            return out;
        }
        long before = epoch.get();
        try (PreparedStatement ps = c.prepareStatement(READ)) {
            Array arr = c.createArrayOf("int8", missing.toArray());
            ps.setArray(1, arr);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long oid = rs.getLong(1);
                    Instant at = rs.getTimestamp(2).toInstant();
                    out.put(oid, at);
                    if (keep && known.size() < MAX_KEPT) {
                        known.put(oid, at);
                        if (epoch.get() != before) {
                            known.remove(oid);
                        }
                    }
                }
            }
        }
        return out;
    }

    /** Forgets stamps that are about to change or just did (a write through this node). */
    void invalidate(Collection<Long> oids) {
        epoch.incrementAndGet();
        oids.forEach(known::remove);
    }

    private void listen() {
        while (!closed) {
            try (Connection c = DriverManager.getConnection(endpoint.jdbcUrl(), endpoint.adminUser(), endpoint.adminPassword())) {
                try (Statement st = c.createStatement()) {
                    st.execute("LISTEN " + CHANNEL);
                }
                // Anything written while no one listened is unknown: start empty.
                epoch.incrementAndGet();
                known.clear();
                listening = true;
                PGConnection pg = c.unwrap(PGConnection.class);
                while (!closed) {
                    PGNotification[] batch = pg.getNotifications(500);
                    if (batch == null || batch.length == 0) {
                        continue;
                    }
                    epoch.incrementAndGet();
                    for (PGNotification n : batch) {
                        known.remove(Long.parseLong(n.getParameter()));
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (!closed) {
                    LOG.warn("table stamp listener lost its connection ({}); reading stamps from the database until it is back",
                            e.getMessage());
                }
            } finally {
                listening = false;
                known.clear();
            }
            sleepQuietly();
        }
    }

    private void sleepQuietly() {
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
        listener.interrupt();
    }
}
