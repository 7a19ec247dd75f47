package io.tessera.server.maps;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tessera.server.db.ChangeFeed;
import io.tessera.server.db.FeedCache;
import io.tessera.server.http.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Named-map templates per user in {@code tessera.map_templates} (admin connection only). Reads are cached and kept
 * honest by the change feed: every write of the table, on any node, notifies {@code tessera_templates} (V57), so a
 * request that waited for a validation round never sees a template older than itself (rotated tokens and deleted
 * templates refuse at once). While the feed is down every read goes to the database.
 */
final class TemplateStore {
    /** A template as stored, and the md5 of its JSON text (what layergroups made from it recorded). */
    record Current(ObjectNode json, String md5) {
    }

    private record Key(UUID user, String name) {
    }

    private final DataSource admin;
    private final FeedCache<Key, Optional<Current>> cache;

    TemplateStore(DataSource admin, ChangeFeed feed) {
        this.admin = admin;
        this.cache = new FeedCache<>(feed, ChangeFeed.Topic.TEMPLATES, Duration.ZERO, 10_000);
    }

    /** Inserts; false if the name is taken. */
    boolean create(UUID user, String name, ObjectNode template) throws SQLException {
        try (Connection c = admin.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO tessera.map_templates (user_id, name, template) "
                     + "VALUES (?, ?, ?) ON CONFLICT DO NOTHING")) {
            ps.setObject(1, user);
            ps.setString(2, name);
            ps.setString(3, template.toString());
            return ps.executeUpdate() == 1;
        } finally {
            cache.invalidate(new Key(user, name));
        }
    }

    /** Replaces; false if there is none of that name. */
    boolean update(UUID user, String name, ObjectNode template) throws SQLException {
        try (Connection c = admin.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE tessera.map_templates SET template = ?, updated_at = now() "
                     + "WHERE user_id = ? AND name = ?")) {
            ps.setString(1, template.toString());
            ps.setObject(2, user);
            ps.setString(3, name);
            return ps.executeUpdate() == 1;
        } finally {
            cache.invalidate(new Key(user, name));
        }
    }

    boolean delete(UUID user, String name) throws SQLException {
        try (Connection c = admin.getConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM tessera.map_templates WHERE user_id = ? AND name = ?")) {
            ps.setObject(1, user);
            ps.setString(2, name);
            return ps.executeUpdate() == 1;
        } finally {
            cache.invalidate(new Key(user, name));
        }
    }

    /** The template (a copy the caller may change), as cached by the change feed. */
    Optional<ObjectNode> find(UUID user, String name) throws SQLException {
        return find(user, name, false);
    }

    /** {@code fromDatabase}: read the row now (a request that could not wait for a change-feed round). */
    Optional<ObjectNode> find(UUID user, String name, boolean fromDatabase) throws SQLException {
        return current(user, name, fromDatabase).map(t -> t.json().deepCopy());
    }

    /** The template (read it, never change it); {@code fromDatabase} as in {@link #find(UUID, String, boolean)}. */
    Optional<Current> current(UUID user, String name, boolean fromDatabase) throws SQLException {
        try {
            return cache.get(new Key(user, name), k -> {
                try {
                    return load(k.user(), k.name());
                } catch (SQLException e) {
                    throw new UncheckedSql(e);
                }
            }, fromDatabase);
        } catch (UncheckedSql e) {
            throw e.getCause();
        }
    }

    private Optional<Current> load(UUID user, String name) throws SQLException {
        try (Connection c = admin.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT template FROM tessera.map_templates WHERE user_id = ? AND name = ?")) {
            ps.setObject(1, user);
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                try {
                    ObjectNode json = (ObjectNode) Json.MAPPER.readTree(rs.getString(1));
                    return Optional.of(new Current(json, Hashes.md5Hex(json.toString())));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    private static final class UncheckedSql extends RuntimeException {
        UncheckedSql(SQLException e) {
            super(e);
        }

        @Override
        public synchronized SQLException getCause() {
            return (SQLException) super.getCause();
        }
    }

    List<String> names(UUID user) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = admin.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT name FROM tessera.map_templates WHERE user_id = ? ORDER BY created_at, name")) {
            ps.setObject(1, user);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }
}
