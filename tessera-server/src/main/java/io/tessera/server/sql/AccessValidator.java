package io.tessera.server.sql;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.server.http.Json;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * CARTO's rule for keys other than master: a statement whose plan reads a relation matching
 * {@code \bpg_} (the catalog, and views over it such as information_schema) is refused with 403
 * "system tables are forbidden". EXPLAIN runs on the key's own connection (decisions: security 5),
 * in autocommit so a statement that cannot be explained yet (its table is made earlier in the same
 * script) is simply skipped, as CARTO skips it.
 */
final class AccessValidator {
    private static final Pattern SYSTEM = Pattern.compile("\\bpg_");
    private static final Set<String> EXPLAINABLE = Set.of("SELECT", "WITH", "INSERT", "UPDATE", "DELETE", "VALUES",
            "TABLE", "MERGE", "CREATE", "DECLARE", "EXECUTE");

    private AccessValidator() {
    }

    static void check(Connection c, List<String> statements) throws SQLException {
        c.setAutoCommit(true);
        for (String sql : statements) {
            List<String> k = SqlScript.keywords(sql, 4);
            if (k.isEmpty() || !EXPLAINABLE.contains(k.get(0))) {
                continue;
            }
            if (k.get(0).equals("CREATE") && !(k.contains("TABLE") || k.contains("MATERIALIZED"))) {
                continue;
            }
            String plan;
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("EXPLAIN (FORMAT JSON, VERBOSE) " + sql)) {
                rs.next();
                plan = rs.getString(1);
            } catch (SQLException e) {
                continue; // CARTO: an unexplainable statement adds no tables to check
            }
            try {
                if (readsSystemRelation(Json.MAPPER.readTree(plan))) {
                    throw SqlApiErrors.forbidden("system tables are forbidden");
                }
            } catch (IOException e) {
                throw new SQLException("unreadable plan", e);
            }
        }
    }

    private static boolean readsSystemRelation(JsonNode n) {
        if (n.isObject()) {
            JsonNode rel = n.get("Relation Name");
            if (rel != null) {
                String schema = n.path("Schema").asText("");
                if (SYSTEM.matcher(schema + "." + rel.asText()).find()) {
                    return true;
                }
            }
        }
        for (JsonNode child : n) { // object values and array elements alike
            if (readsSystemRelation(child)) {
                return true;
            }
        }
        return false;
    }
}
