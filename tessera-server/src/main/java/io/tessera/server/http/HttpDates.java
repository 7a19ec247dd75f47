package io.tessera.server.http;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * HTTP date header texts, each second formatted once: every SQL API answer and every tile writes one or two, and
 * most fall in a few seconds (now, or a table's change stamp), so a formatter run per header was wasted work.
 */
public final class HttpDates {
    /**
     * As JavaScript's {@code Date.toUTCString()}, which CARTO's SQL and Maps APIs write, and HTTP's IMF-fixdate (a
     * two-digit day, unlike Java's RFC 1123 formatter): {@code Wed, 01 Jan 2014 23:31:30 GMT}.
     */
    public static final HttpDates UTC_STRING =
            new HttpDates(DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US));

    private final DateTimeFormatter format;
    private final Cache<Long, String> seconds = Caffeine.newBuilder().maximumSize(4_096).build();

    private HttpDates(DateTimeFormatter format) {
        this.format = format;
    }

    /** The text of the second {@code epochMillis} falls in. */
    public String format(long epochMillis) {
        return seconds.get(Math.floorDiv(epochMillis, 1000),
                s -> format.format(Instant.ofEpochSecond(s).atZone(ZoneOffset.UTC)));
    }
}
