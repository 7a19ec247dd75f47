package io.tessera.server.sql;

import io.tessera.server.db.KnownStamps;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Table change stamps for the cache headers: the node's {@link KnownStamps} (kept current by the change feed,
 * which hears every stamp write on any node through {@code NOTIFY tessera_table_stamps}), so a point query pays no
 * round trip for its {@code Last-Modified}. A stamp not in memory is read on the request's own connection (the
 * key's role, security 5), and only stamps that role could read come back. While the feed is down, nothing is
 * kept and every lookup reads the database.
 */
final class TableStamps {
    private static final String READ = "SELECT tabname::oid, updated_at FROM cartodb._tessera_table_updated_at(?::oid[]::regclass[])";

    private final KnownStamps known;

    TableStamps(KnownStamps known) {
        this.known = known;
    }

    /** The stamps of the given tables (by OID) that exist and the connection's role can read. */
    Map<Long, Instant> lookup(Connection c, Collection<Long> oids) throws SQLException {
        Map<Long, Instant> out = new HashMap<>();
        List<Long> missing = new ArrayList<>();
        for (Long oid : oids) {
            Instant at = known.get(oid);
            if (at != null) {
                out.put(oid, at);
            } else {
                missing.add(oid);
            }
        }
        if (missing.isEmpty()) {
            return out;
        }
        long before = known.version();
        try (PreparedStatement ps = c.prepareStatement(READ)) {
            Array arr = c.createArrayOf("int8", missing.toArray());
            ps.setArray(1, arr);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long oid = rs.getLong(1);
                    Instant at = rs.getTimestamp(2).toInstant();
                    out.put(oid, at);
                    known.store(before, oid, at);
                }
            }
        }
        return out;
    }

    /** Forgets stamps that are about to change or just did (a write through this node). */
    void invalidate(Collection<Long> oids) {
        oids.forEach(known::invalidate);
    }
}
