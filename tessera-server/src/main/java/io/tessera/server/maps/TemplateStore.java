package io.tessera.server.maps;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tessera.server.http.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/** Named-map templates per user in {@code tessera.map_templates} (admin connection only). */
final class TemplateStore {
    private final DataSource admin;

    TemplateStore(DataSource admin) {
        this.admin = admin;
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
        }
    }

    boolean delete(UUID user, String name) throws SQLException {
        try (Connection c = admin.getConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM tessera.map_templates WHERE user_id = ? AND name = ?")) {
            ps.setObject(1, user);
            ps.setString(2, name);
            return ps.executeUpdate() == 1;
        }
    }

    Optional<ObjectNode> find(UUID user, String name) throws SQLException {
        try (Connection c = admin.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT template FROM tessera.map_templates WHERE user_id = ? AND name = ?")) {
            ps.setObject(1, user);
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                try {
                    return Optional.of((ObjectNode) Json.MAPPER.readTree(rs.getString(1)));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
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
