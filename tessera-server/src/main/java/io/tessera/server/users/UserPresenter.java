package io.tessera.server.users;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tessera.server.auth.User;
import io.tessera.server.db.AdminDatabase;
import io.tessera.server.http.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The parts of CARTO's {@code UserPresenter#data} that Tessera can state truthfully: identity, the master
 * key, the user's tables and the bytes they take, read from the catalog at request time. Quota and billing
 * fields CARTO has and Tessera does not (geocoding credits, map views) are left out rather than invented.
 */
final class UserPresenter {
    private UserPresenter() {
    }

    static ObjectNode userData(AdminDatabase admin, User user, String masterToken, String baseUrl) throws SQLException {
        ObjectNode o = Json.object();
        o.put("id", user.id().toString());
        o.put("username", user.username());
        o.put("email", user.email());
        o.put("name", (String) null);
        o.put("last_name", (String) null);
        o.put("state", "active");
        o.put("account_type", "TESSERA");
        o.put("api_key", masterToken);
        o.put("base_url", baseUrl);
        o.put("viewer", false);
        o.put("org_admin", false);
        o.put("org_user", false);
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
        return o;
    }
}
