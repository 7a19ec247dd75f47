package io.tessera.server.users;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tessera.server.auth.User;
import io.tessera.server.db.AdminDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** What a user's account holds, read from the catalog at request time: tables, bytes, creation time. */
public final class UserStats {
    private UserStats() {
    }

    /** Puts {@code created_at}, {@code table_count}, {@code db_size_in_bytes} and {@code db_size_in_megabytes}. */
    public static void put(AdminDatabase admin, User user, ObjectNode o) throws SQLException {
        try (Connection c = admin.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     SELECT count(*), coalesce(sum(pg_total_relation_size(c.oid)), 0),
                            (SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') FROM tessera.users WHERE id = ?)
                       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                      WHERE n.nspname = ? AND c.relkind IN ('r', 'p')""")) {
            ps.setObject(1, user.id());
            ps.setString(2, user.schema());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                o.put("created_at", rs.getString(3));
                o.put("table_count", rs.getLong(1));
                long bytes = rs.getLong(2);
                o.put("db_size_in_bytes", bytes);
                o.put("db_size_in_megabytes", Math.round(bytes / 1048576.0 * 100) / 100.0);
            }
        }
    }
}
