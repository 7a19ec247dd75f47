package io.tessera.server.maps;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tessera.server.http.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Instantiated layergroups, content-addressed by the md5 of (user, config, template) and kept in
 * {@code tessera.map_layergroups}, so any node serves a map another node instantiated. Parsed configs are
 * cached in memory: an address always names the same content. Use stamps {@code last_used_at}, at most once
 * a minute per layergroup and node (not once per tile), so that {@link LayergroupPurge} can delete the unused.
 */
public final class LayergroupStore {
    /** A stored layergroup: the config and, for named maps, the template's name and content hash. */
    public record Stored(MapConfig config, ObjectNode template) {
        public boolean named() {
            return template != null;
        }
    }

    private record Key(UUID user, String md5) {
    }

    private final DataSource admin;
    private final Cache<Key, Stored> cache = Caffeine.newBuilder().maximumSize(10_000).build();
    /** Layergroups whose {@code last_used_at} this node set less than a minute ago. */
    private final Cache<Key, Boolean> touched = Caffeine.newBuilder().maximumSize(100_000)
            .expireAfterWrite(TOUCH_EVERY).build();
    static final Duration TOUCH_EVERY = Duration.ofMinutes(1);

    public LayergroupStore(DataSource admin) {
        this.admin = admin;
    }

    /** Stores (or refreshes) a layergroup and returns its md5. */
    public String save(UUID user, MapConfig config, ObjectNode template) throws SQLException {
        String configJson = config.json().toString();
        String templateJson = template == null ? null : template.toString();
        String md5 = Hashes.md5Hex(user + "\n" + configJson + "\n" + (templateJson == null ? "" : templateJson));
        Key key = new Key(user, md5);
        if (cache.getIfPresent(key) != null && touched.getIfPresent(key) != null) {
            return md5; // stored and stamped already (the address names the content)
        }
        try (Connection c = admin.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     INSERT INTO tessera.map_layergroups (user_id, id, config, template) VALUES (?, ?, ?, ?)
                     ON CONFLICT (user_id, id) DO UPDATE SET last_used_at = now()""")) {
            ps.setObject(1, user);
            ps.setString(2, md5);
            ps.setString(3, configJson);
            ps.setString(4, templateJson);
            ps.executeUpdate();
        }
        cache.put(key, new Stored(config, template));
        touched.put(key, Boolean.TRUE);
        return md5;
    }

    public Optional<Stored> find(UUID user, String md5) throws SQLException {
        Key key = new Key(user, md5);
        Stored s = cache.getIfPresent(key);
        if (s != null && touched.getIfPresent(key) != null) {
            return Optional.of(s);
        }
        // not stamped for a minute: stamp it, and read it in the same statement when it is not cached
        String sql = s != null ? "UPDATE tessera.map_layergroups SET last_used_at = now() WHERE user_id = ? AND id = ?"
                : "UPDATE tessera.map_layergroups SET last_used_at = now() WHERE user_id = ? AND id = ? RETURNING config, template";
        try (Connection c = admin.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, user);
            ps.setString(2, md5);
            if (s != null) {
                if (ps.executeUpdate() == 0) {
                    cache.invalidate(key); // purged, or its template changed, on another node
                    return Optional.empty();
                }
                touched.put(key, Boolean.TRUE);
                return Optional.of(s);
            }
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                MapConfig config = MapConfigParser.parse(read(rs.getString(1)));
                String t = rs.getString(2);
                s = new Stored(config, t == null ? null : (ObjectNode) read(t));
            }
        }
        cache.put(key, s);
        touched.put(key, Boolean.TRUE);
        return Optional.of(s);
    }

    /**
     * Deletes layergroups nobody used for {@code idle} (in batches, so no long lock) and drops them from this
     * node's cache; returns how many went.
     */
    public int purgeUnusedFor(Duration idle) throws SQLException {
        int total = 0;
        int n;
        do {
            n = 0;
            try (Connection c = admin.getConnection();
                 PreparedStatement ps = c.prepareStatement("""
                         DELETE FROM tessera.map_layergroups WHERE ctid IN (SELECT ctid FROM tessera.map_layergroups
                         WHERE last_used_at < now() - make_interval(secs => ?) LIMIT 5000) RETURNING user_id, id""")) {
                ps.setDouble(1, idle.toMillis() / 1000.0);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Key key = new Key(rs.getObject(1, UUID.class), rs.getString(2));
                        cache.invalidate(key);
                        touched.invalidate(key);
                        n++;
                    }
                }
            }
            total += n;
        } while (n > 0);
        return total;
    }

    /**
     * Deletes the layergroups made from the user's template {@code name} (it was updated or deleted) and drops
     * them from this node's cache; other nodes refuse them anyway, since every request re-checks the template.
     */
    void forgetTemplate(UUID user, String name) throws SQLException {
        try (Connection c = admin.getConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM tessera.map_layergroups "
                     + "WHERE user_id = ? AND template IS NOT NULL AND template::jsonb ->> 'name' = ?")) {
            ps.setObject(1, user);
            ps.setString(2, name);
            ps.executeUpdate();
        }
        cache.asMap().entrySet().removeIf(e -> e.getKey().user().equals(user) && e.getValue().named()
                && name.equals(e.getValue().template().path("name").asText()));
    }

    private static JsonNode read(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
