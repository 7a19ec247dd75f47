package io.tessera.server.db;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Table change stamps ({@code cartodb.cdb_tablemetadata}) this node knows to be current, by table OID: a value is
 * kept only while the {@link ChangeFeed} listens, and dropped the moment the feed hears the table changed. Values
 * are read on a request's own connection (the key's role, security 5) and offered with {@link #store}; the
 * version check there keeps a read that raced an invalidation from being kept.
 */
public final class KnownStamps {
    private static final int MAX_KEPT = 200_000;

    private final Map<Long, Instant> known = new ConcurrentHashMap<>();
    // Moves on every invalidation: a value read before it moved may predate the change and is not kept.
    private final AtomicLong version = new AtomicLong();
    private volatile boolean keeping;

    /** The version to pass to {@link #store}; read it BEFORE sending the query that reads the stamps. */
    public long version() {
        return version.get();
    }

    /** The known stamp of a table, or null (unknown, or the feed is not listening). */
    public Instant get(long oid) {
        return keeping ? known.get(oid) : null;
    }

    /** Keeps a stamp read by a query sent after {@code versionBefore} was read, unless an invalidation came since. */
    public void store(long versionBefore, long oid, Instant at) {
        if (!keeping || known.size() >= MAX_KEPT) {
            return;
        }
        known.put(oid, at);
        if (version.get() != versionBefore) {
            known.remove(oid); // an invalidation raced the read: it may be older than the change
        }
    }

    /** The feed heard that this table's stamp changed (or a write on this node is about to change it). */
    public void invalidate(long oid) {
        version.incrementAndGet();
        known.remove(oid);
    }

    /** Forgets everything; keeps new values only if {@code keep} (the feed listens again). */
    void reset(boolean keep) {
        keeping = false;
        version.incrementAndGet();
        known.clear();
        keeping = keep;
    }
}
