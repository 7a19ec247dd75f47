package io.tessera.server.sql;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tessera.server.http.Json;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Which tables a script touches, from {@code EXPLAIN (FORMAT JSON, VERBOSE)} of each statement on the
 * key's own connection (decisions: security 5). Feeds two things: CARTO's rule that keys other than
 * master may not read {@code pg_*} relations (403 "system tables are forbidden"), and the cache headers.
 *
 * <p>EXPLAIN costs a round trip or more, so results are cached per role by {@link QueryFingerprint}: a
 * statement is planned with its literals as parameters under {@code plan_cache_mode=force_generic_plan},
 * so no value folds a branch of the plan away and the relations found hold for every value of the
 * fingerprint. Where the parameterised text cannot be planned ({@code date '…'}, {@code GROUP BY 1}), the
 * exact text is explained and cached under itself. Entries live a minute (a view redefined elsewhere is
 * seen after that); DDL through the SQL API clears the cache at once. Names, not OIDs, are cached, so a
 * table dropped and made again keeps its headers right.
 */
final class QueryTables {
    private static final Pattern SYSTEM = Pattern.compile("\\bpg_");
    private static final Pattern DDL = Pattern.compile("(?i)\\b(create|drop|alter)\\b");
    private static final Set<String> EXPLAINABLE = Set.of("SELECT", "WITH", "INSERT", "UPDATE", "DELETE", "VALUES",
            "TABLE", "MERGE", "CREATE", "DECLARE", "EXECUTE");
    private static final Set<String> PREPARABLE = Set.of("SELECT", "WITH", "INSERT", "UPDATE", "DELETE", "VALUES", "TABLE");
    private static final int MAX_CACHED_TEXT = 16 * 1024;

    /** A table a plan reads or writes, by name as PostgreSQL reports it (unquoted), and its OID when it was planned. */
    record TableRef(String schema, String name, long oid) implements Comparable<TableRef> {
        @Override
        public int compareTo(TableRef o) {
            int c = schema.compareTo(o.schema);
            return c != 0 ? c : name.compareTo(o.name);
        }
    }

    /**
     * What the plans of a script showed.
     *
     * @param tables      every relation in the plans, sorted
     * @param readsSystem a plan reads a {@code pg_*} relation
     * @param explained   false when an explainable statement could not be explained (headers fall back)
     */
    record Result(Set<TableRef> tables, boolean readsSystem, boolean explained) {
        List<Long> oids() {
            return tables.stream().map(TableRef::oid).filter(o -> o != 0).toList();
        }
    }

    private record Key(String role, String text) {
    }

    private final Cache<Key, Result> cache = Caffeine.newBuilder()
            .maximumSize(10_000).expireAfterWrite(Duration.ofMinutes(1)).build();

    /** Explains the statements (or takes the cached result) on {@code c}, which must be in autocommit. */
    Result analyse(Connection c, String role, List<String> statements) throws SQLException {
        String script = String.join(";\n", statements);
        if (DDL.matcher(script).find()) {
            cache.invalidateAll(); // views and tables may have changed under every cached fingerprint
        }
        StringBuilder normalised = new StringBuilder();
        for (String s : statements) {
            QueryFingerprint f = QueryFingerprint.of(s);
            normalised.append(f.usable() ? f.text() : s).append(";\n");
        }
        boolean cacheable = script.length() <= MAX_CACHED_TEXT;
        Key generic = new Key(role, normalised.toString());
        Key exact = new Key(role, script);
        if (cacheable) {
            Result hit = cache.getIfPresent(generic);
            if (hit == null) {
                hit = cache.getIfPresent(exact);
            }
            if (hit != null) {
                return hit;
            }
        }
        Set<TableRef> tables = new TreeSet<>();
        boolean system = false;
        boolean explained = true;
        boolean allGeneric = true;
        for (String sql : statements) {
            List<String> k = SqlScript.keywords(sql, 4);
            if (k.isEmpty() || !EXPLAINABLE.contains(k.get(0))
                    || (k.get(0).equals("CREATE") && !(k.contains("TABLE") || k.contains("MATERIALIZED")))) {
                continue; // DDL and utility statements touch no table CARTO would report
            }
            JsonNode plan = PREPARABLE.contains(k.get(0)) ? explainGeneric(c, QueryFingerprint.of(sql)) : null;
            if (plan == null) {
                allGeneric = false;
                plan = explainExact(c, sql);
            }
            if (plan == null) {
                explained = false; // CARTO: an unexplainable statement adds no tables to check
                continue;
            }
            system |= collect(plan, tables);
        }
        Result r = new Result(withOids(c, tables), system, explained);
        if (cacheable && explained) {
            cache.put(allGeneric ? generic : exact, r);
        }
        return r;
    }

    /** The tables with their OIDs (names are what EXPLAIN gives; stamps are kept by OID). */
    private static Set<TableRef> withOids(Connection c, Set<TableRef> tables) throws SQLException {
        if (tables.isEmpty()) {
            return Set.of();
        }
        List<TableRef> in = List.copyOf(tables);
        String[] names = new String[in.size()];
        for (int i = 0; i < names.length; i++) {
            names[i] = quote(in.get(i).schema()) + "." + quote(in.get(i).name());
        }
        Set<TableRef> out = new TreeSet<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT coalesce(pg_catalog.to_regclass(x)::oid, 0) FROM pg_catalog.unnest(?::text[]) WITH ORDINALITY AS u (x, i) ORDER BY i")) {
            ps.setArray(1, c.createArrayOf("text", names));
            try (ResultSet rs = ps.executeQuery()) {
                for (TableRef t : in) {
                    rs.next();
                    out.add(new TableRef(t.schema(), t.name(), rs.getLong(1)));
                }
            }
        }
        return java.util.Collections.unmodifiableSet(out);
    }

    private static String quote(String ident) {
        return "\"" + ident.replace("\"", "\"\"") + "\"";
    }

    private static JsonNode explainGeneric(Connection c, QueryFingerprint f) throws SQLException {
        if (!f.usable()) {
            return null;
        }
        StringBuilder args = new StringBuilder();
        for (int i = 0; i < f.parameters(); i++) {
            args.append(i == 0 ? "(" : ", ").append("NULL");
        }
        if (f.parameters() > 0) {
            args.append(')');
        }
        try (Statement st = c.createStatement()) {
            st.execute("SET plan_cache_mode = force_generic_plan");
            try {
                st.execute("PREPARE tessera_explain AS " + f.text());
            } catch (SQLException e) {
                return null;
            }
            try (ResultSet rs = st.executeQuery("EXPLAIN (FORMAT JSON, VERBOSE) EXECUTE tessera_explain" + args)) {
                rs.next();
                return parse(rs.getString(1));
            } catch (SQLException e) {
                return null;
            } finally {
                st.execute("DEALLOCATE tessera_explain");
            }
        } finally {
            try (Statement st = c.createStatement()) {
                st.execute("RESET plan_cache_mode");
            }
        }
    }

    private static JsonNode explainExact(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("EXPLAIN (FORMAT JSON, VERBOSE) " + sql)) {
            rs.next();
            return parse(rs.getString(1));
        } catch (SQLException e) {
            return null;
        }
    }

    private static JsonNode parse(String plan) throws SQLException {
        try {
            return Json.MAPPER.readTree(plan);
        } catch (IOException e) {
            throw new SQLException("unreadable plan", e);
        }
    }

    /** Adds every relation of the plan to {@code out}; true if one of them is a system relation. */
    private static boolean collect(JsonNode n, Set<TableRef> out) {
        boolean system = false;
        if (n.isObject()) {
            JsonNode rel = n.get("Relation Name");
            if (rel != null) {
                String schema = n.path("Schema").asText("");
                system = SYSTEM.matcher(schema + "." + rel.asText()).find();
                out.add(new TableRef(schema, rel.asText(), 0));
            }
        }
        for (JsonNode child : n) { // object values and array elements alike
            system |= collect(child, out);
        }
        return system;
    }
}
