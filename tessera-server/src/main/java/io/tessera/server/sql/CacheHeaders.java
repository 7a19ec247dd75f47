package io.tessera.server.sql;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerResponse;
import io.tessera.server.http.HttpDates;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The SQL API's cache headers (sql-api.md §6.3): {@code Cache-Control}, {@code X-Cache-Channel},
 * {@code Surrogate-Key} and {@code Last-Modified}, from the tables the script's plans touch and their
 * change stamps ({@code cartodb.cdb_tablemetadata}, moved by the {@code track_updates} trigger on every
 * write through any API, and by {@code CDB_TableMetadataTouch}). Computed before the script runs, as
 * CARTO does, so a write reports the stamp it started from.
 *
 * @param cacheControl  always set
 * @param channel       {@code X-Cache-Channel}, or null
 * @param surrogateKeys {@code Surrogate-Key}, or null
 * @param lastModified  {@code Last-Modified}, or null when a statement could not be explained
 */
record CacheHeaders(String cacheControl, String channel, String surrogateKeys, String lastModified) {
    private static final Pattern MAY_WRITE = Pattern.compile("(?i)\\b(alter|insert|update|delete|create|drop|reindex|truncate|refresh)\\b");
    private static final int ONE_YEAR = 31_536_000;

    static boolean mayWrite(String q) {
        return MAY_WRITE.matcher(q).find();
    }

    /** Takes the stamps of the touched tables (in memory, else read on the key's own connection) and derives the headers. */
    static CacheHeaders compute(Connection c, TableStamps stamps, QueryTables.Result tables, boolean mayWrite, boolean persist,
                                Instant now) throws SQLException {
        List<Stamp> found = new ArrayList<>();
        if (!tables.tables().isEmpty()) {
            List<Long> oids = new ArrayList<>();
            for (QueryTables.TableRef t : tables.tables()) {
                if (t.oid() != 0) {
                    oids.add(t.oid());
                }
            }
            Map<Long, Instant> at = stamps.lookup(c, oids);
            for (QueryTables.TableRef t : tables.tables()) { // sorted by schema and name
                Instant i = at.get(t.oid());
                if (i != null) {
                    found.add(new Stamp(t, i));
                }
            }
        }
        return of(c.getCatalog(), tables, found, mayWrite, persist, now);
    }

    /** A table's change stamp. */
    record Stamp(QueryTables.TableRef table, Instant updatedAt) {
    }

    static CacheHeaders of(String dbname, QueryTables.Result tables, List<Stamp> stamps, boolean mayWrite, boolean persist,
                           Instant now) {
        boolean allTracked = tables.explained() && stamps.size() == tables.tables().size();
        String cacheControl;
        if (persist) {
            cacheControl = "public,max-age=" + ONE_YEAR;
        } else if (allTracked) {
            cacheControl = "no-cache,max-age=" + (mayWrite ? 0 : ONE_YEAR) + ",must-revalidate,public";
        } else {
            cacheControl = "no-cache,max-age=" + (300 - now.getEpochSecond() % 300) + ",must-revalidate,public";
        }
        String channel = null;
        String keys = null;
        if (!mayWrite && !stamps.isEmpty()) {
            List<String> names = new ArrayList<>();
            Set<String> hashed = new TreeSet<>();
            for (Stamp s : stamps) {
                String name = s.table().schema() + "." + s.table().name();
                names.add(name);
                hashed.add("t:" + shortHash(dbname + ":" + name));
            }
            channel = dbname + ":" + String.join(",", names);
            keys = String.join(" ", hashed);
        }
        String lastModified = null;
        if (tables.explained()) {
            Instant latest = stamps.stream().map(Stamp::updatedAt).max(Instant::compareTo).orElse(now);
            lastModified = HttpDates.format(latest.toEpochMilli());
        }
        return new CacheHeaders(cacheControl, channel, keys, lastModified);
    }

    void apply(ServerResponse res) {
        res.header(HeaderNames.CACHE_CONTROL, cacheControl);
        if (lastModified != null) {
            res.header(HeaderNames.LAST_MODIFIED, lastModified);
        }
        if (channel != null) {
            res.header("X-Cache-Channel", channel);
        }
        if (surrogateKeys != null) {
            res.header("Surrogate-Key", surrogateKeys);
        }
    }

    /** CARTO's surrogate key hash: the first 6 characters of base64(sha256(text)). */
    static String shortHash(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(d).substring(0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
