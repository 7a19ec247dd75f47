package io.tessera.server.orgs;

import io.tessera.server.auth.Accounts;
import io.tessera.server.auth.User;
import io.tessera.server.db.AdminDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/** Organizations and their members, on the admin connection. */
public final class Organizations {
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+$");

    /** An organization: its id, name and owner. */
    public record Organization(UUID id, String name, UUID ownerId) {
    }

    /** A user's place in an organization. */
    public record Membership(Organization organization, boolean admin) {
    }

    private final AdminDatabase admin;
    private final Accounts accounts;

    public Organizations(AdminDatabase admin, Accounts accounts) {
        this.admin = admin;
        this.accounts = accounts;
    }

    /** Creates an organization owned (and administered) by an existing user who belongs to no organization yet. */
    public Organization create(String name, String ownerUsername) throws SQLException {
        Accounts.validateUsername(name); // org names share the users' namespace (both are host labels)
        User owner = accounts.findUserUncached(ownerUsername)
                .orElseThrow(() -> new IllegalArgumentException("No user named " + ownerUsername));
        if (membership(owner).isPresent()) {
            throw new IllegalArgumentException("User " + ownerUsername + " already belongs to an organization");
        }
        Organization org = new Organization(UUID.randomUUID(), name, owner.id());
        try (Connection c = admin.dataSource().getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO tessera.organizations (id, name, owner_id) VALUES (?, ?, ?)")) {
                ps.setObject(1, org.id());
                ps.setString(2, name);
                ps.setObject(3, owner.id());
                ps.executeUpdate();
            } catch (SQLException e) {
                c.rollback();
                if ("23505".equals(e.getSQLState())) {
                    throw new IllegalArgumentException("Organization '" + name + "' already exists", e);
                }
                throw e;
            }
            setMembership(c, owner.id(), org.id(), true);
            c.commit();
        }
        return org;
    }

    public Optional<Organization> find(String name) throws SQLException {
        try (Connection c = admin.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT id, name, owner_id FROM tessera.organizations WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    public Optional<Membership> membership(User user) throws SQLException {
        try (Connection c = admin.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     SELECT o.id, o.name, o.owner_id, u.org_admin
                       FROM tessera.users u JOIN tessera.organizations o ON o.id = u.organization_id
                      WHERE u.id = ?""")) {
            ps.setObject(1, user.id());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Membership(read(rs), rs.getBoolean(4))) : Optional.empty();
            }
        }
    }

    public void join(Organization org, User user, boolean orgAdmin) throws SQLException {
        try (Connection c = admin.dataSource().getConnection()) {
            setMembership(c, user.id(), org.id(), orgAdmin);
        }
    }

    public List<User> members(Organization org) throws SQLException {
        List<User> out = new ArrayList<>();
        try (Connection c = admin.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT username FROM tessera.users WHERE organization_id = ? ORDER BY username")) {
            ps.setObject(1, org.id());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    accounts.findUserUncached(rs.getString(1)).ifPresent(out::add);
                }
            }
        }
        return out;
    }

    /** Changes a user's e-mail address; an invalid one is an IllegalArgumentException with CARTO's wording. */
    public void setEmail(User user, String email) throws SQLException {
        if (!validEmail(email)) {
            throw new IllegalArgumentException("email is not valid");
        }
        try (Connection c = admin.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE tessera.users SET email = ?, updated_at = now() WHERE id = ?")) {
            ps.setString(1, email);
            ps.setObject(2, user.id());
            ps.executeUpdate();
        }
        accounts.invalidateUser(user.username());
    }

    static boolean validEmail(String email) {
        return email != null && EMAIL.matcher(email).matches();
    }

    private static void setMembership(Connection c, UUID userId, UUID orgId, boolean orgAdmin) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE tessera.users SET organization_id = ?, org_admin = ?, updated_at = now() WHERE id = ?")) {
            ps.setObject(1, orgId);
            ps.setBoolean(2, orgAdmin);
            ps.setObject(3, userId);
            ps.executeUpdate();
        }
    }

    private static Organization read(ResultSet rs) throws SQLException {
        return new Organization(rs.getObject(1, UUID.class), rs.getString(2), rs.getObject(3, UUID.class));
    }
}
