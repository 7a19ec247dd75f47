package io.tessera.server.maps;

import io.tessera.server.db.KnownStamps;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a drawn tile rests on, read in one statement on the drawing role's own connection
 * ({@code cartodb._tessera_tile_inputs}, V58): the change stamp of each table the plan reads (in plan order; only
 * tables the role may read have one), whether every table is plain for the role (no row-level security, table-wide
 * SELECT, change tracking on), and the role-state fingerprint ({@code cartodb._tessera_role_state}, V57). Stamps
 * read here are offered to the node's {@link KnownStamps}.
 */
record TileInputs(long[] oids, Instant[] stamps, boolean complete, long newestMillis, String roleState) {
    private static final String SQL = "SELECT i.tabname, i.updated_at, i.plain, r.state "
            + "FROM (SELECT cartodb._tessera_role_state() AS state) r "
            + "LEFT JOIN cartodb._tessera_tile_inputs((?::text[])::oid[]::regclass[]) i ON true";

    static TileInputs read(Connection c, List<Long> tables, KnownStamps known) throws SQLException {
        long[] oids = tables.stream().mapToLong(Long::longValue).toArray();
        Map<Long, Instant> found = new HashMap<>();
        boolean plain = true;
        String state;
        long version = known.version(); // before the query: see KnownStamps.store
        try (PreparedStatement ps = c.prepareStatement(SQL)) {
            Array a = c.createArrayOf("text", tables.stream().map(String::valueOf).toArray());
            ps.setArray(1, a);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                state = rs.getString(4);
                do {
                    long oid = rs.getLong(1);
                    if (!rs.wasNull()) {
                        Instant at = rs.getTimestamp(2).toInstant();
                        found.put(oid, at);
                        plain &= rs.getBoolean(3);
                        known.store(version, oid, at);
                    }
                } while (rs.next());
            }
        }
        Instant[] stamps = new Instant[oids.length];
        long newest = 0;
        for (int i = 0; i < oids.length; i++) {
            stamps[i] = found.get(oids[i]);
            if (stamps[i] == null) {
                plain = false;
            } else {
                newest = Math.max(newest, stamps[i].toEpochMilli());
            }
        }
        return new TileInputs(oids, stamps, plain, newest, state);
    }
}
