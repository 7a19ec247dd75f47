package io.tessera.server.db;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Where the platform database is and how the admin role logs in. Both the embedded cluster and an
 * external PostGIS ({@code TESSERA_DATABASE_URL}) end up as one of these.
 */
public record DatabaseEndpoint(String host, int port, String database, String adminUser, String adminPassword) {

    public String jdbcUrl() {
        return jdbcUrl(database);
    }

    public String jdbcUrl(String db) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + db;
    }

    /** Parses {@code postgresql://user:pass@host:port/db} or {@code jdbc:postgresql://host:port/db?user=…&password=…}. */
    public static DatabaseEndpoint parse(String url) {
        String u = url.startsWith("jdbc:") ? url.substring(5) : url;
        if (u.startsWith("postgres://")) {
            u = "postgresql://" + u.substring("postgres://".length());
        }
        URI uri = URI.create(u);
        if (!"postgresql".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("TESSERA_DATABASE_URL must look like postgresql://user:password@host:port/database");
        }
        String user = null;
        String password = null;
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            user = decode(parts[0]);
            password = parts.length > 1 ? decode(parts[1]) : null;
        }
        if (uri.getRawQuery() != null) {
            for (String kv : uri.getRawQuery().split("&")) {
                String[] p = kv.split("=", 2);
                if (p.length == 2 && p[0].equals("user")) {
                    user = decode(p[1]);
                } else if (p.length == 2 && p[0].equals("password")) {
                    password = decode(p[1]);
                }
            }
        }
        String db = uri.getPath() == null || uri.getPath().length() <= 1 ? "postgres" : uri.getPath().substring(1);
        if (user == null) {
            throw new IllegalArgumentException("TESSERA_DATABASE_URL has no user");
        }
        return new DatabaseEndpoint(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), db, user, password);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "DatabaseEndpoint[" + adminUser + "@" + host + ":" + port + "/" + database + "]";
    }
}
