package io.tessera.server.http;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * HTTP date header texts as JavaScript's {@code Date.toUTCString()} writes them, which CARTO's SQL and Maps APIs
 * send, and HTTP's IMF-fixdate (a two-digit day, unlike Java's RFC 1123 formatter): {@code Wed, 01 Jan 2014
 * 23:31:30 GMT}. Each second is formatted once: every SQL API answer and every tile writes one or two, and most
 * fall in a few seconds (now, or a table's change stamp), so a formatter run per header was wasted work.
 */
public final class HttpDates {
    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US);
    private static final Cache<Long, String> SECONDS = Caffeine.newBuilder().maximumSize(4_096).build();

    private HttpDates() {
    }

    /** The text of the second {@code epochMillis} falls in. */
    public static String format(long epochMillis) {
        return SECONDS.get(Math.floorDiv(epochMillis, 1000), s -> FORMAT.format(Instant.ofEpochSecond(s).atZone(ZoneOffset.UTC)));
    }
}
