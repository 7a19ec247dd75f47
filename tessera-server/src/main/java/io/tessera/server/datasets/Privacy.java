package io.tessera.server.datasets;

import io.tessera.server.db.AdminDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Optional;

/**
 * A dataset's privacy and the GRANTs that enforce it: PUBLIC and LINK datasets are readable by the user's
 * public role (what {@code default_public} logs in as), PRIVATE ones are not. The registry keeps the
 * lower-case value, the wire the upper-case one (platform-api.md §4.2).
 */
public enum Privacy {
    PRIVATE, PUBLIC, LINK;

    public String db() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Case-insensitive, as CARTO downcases it. */
    public static Optional<Privacy> parse(String s) {
        if (s == null) {
            return Optional.empty();
        }
        for (Privacy p : values()) {
            if (p.name().equalsIgnoreCase(s.trim())) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** What {@code table.privacy} says: LINK reads as PUBLIC there (privacy_text). */
    public String tableText() {
        return this == LINK ? "PUBLIC" : name();
    }

    /** Runs the GRANT or REVOKE on the caller's (owner's) connection, inside its transaction. */
    public void apply(Connection owner, String schema, String table, String publicRole) throws SQLException {
        String rel = AdminDatabase.quoteIdent(schema) + "." + AdminDatabase.quoteIdent(table);
        try (Statement s = owner.createStatement()) {
            if (this == PRIVATE) {
                s.execute("REVOKE ALL ON TABLE " + rel + " FROM " + AdminDatabase.quoteIdent(publicRole));
            } else {
                s.execute("GRANT SELECT ON TABLE " + rel + " TO " + AdminDatabase.quoteIdent(publicRole));
            }
        }
    }
}
