package io.tessera.server.sql;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads PostgreSQL's text output of {@code date}, {@code timestamp} and {@code timestamptz} (DateStyle ISO,
 * which the driver sets) straight from the wire bytes: {@code 2011-09-21 14:02:21.314252+00}, with offsets
 * like {@code +05:30} or {@code -03:30:15}, years beyond 9999, {@code BC} and {@code ±infinity}. Exports
 * write a date per row, and the driver's own parsing was most of a JSON export's time.
 */
final class PgDateText {
    private static final Pattern GENERAL = Pattern.compile(
            "(\\d{4,})-(\\d\\d)-(\\d\\d)(?: (\\d\\d):(\\d\\d):(\\d\\d)(?:\\.(\\d{1,9}))?)?"
                    + "(?:([+-])(\\d\\d)(?::(\\d\\d)(?::(\\d\\d))?)?)?( BC)?");

    private PgDateText() {
    }

    /**
     * The value in {@code zone}, or null for {@code infinity}/{@code -infinity} (node-pg yields ±Infinity there,
     * which JSON writes as null). A value without an offset (date, timestamp) is a local time in {@code zone}.
     */
    static ZonedDateTime parse(byte[] b, ZoneId zone) {
        if (b.length >= 19 && b[4] == '-' && b[10] == ' ' && b[b.length - 1] != 'C') {
            ZonedDateTime fast = fastTimestamp(b, zone);
            if (fast != null) {
                return fast;
            }
        } else if (b.length == 10 && b[4] == '-' && b[7] == '-') {
            return LocalDate.of(num(b, 0, 4), num(b, 5, 2), num(b, 8, 2)).atStartOfDay(zone);
        }
        return general(new String(b, StandardCharsets.US_ASCII), zone);
    }

    /** {@code YYYY-MM-DD HH:MM:SS[.f{1,6}][±HH]}: the shape nearly every value has. Null when it is not that shape. */
    private static ZonedDateTime fastTimestamp(byte[] b, ZoneId zone) {
        int n = 19;
        int nanos = 0;
        if (n < b.length && b[n] == '.') {
            int scale = 100_000_000;
            n++;
            while (n < b.length && b[n] >= '0' && b[n] <= '9') {
                nanos += (b[n] - '0') * scale;
                scale /= 10;
                n++;
            }
        }
        LocalDateTime local = LocalDateTime.of(num(b, 0, 4), num(b, 5, 2), num(b, 8, 2),
                num(b, 11, 2), num(b, 14, 2), num(b, 17, 2), nanos);
        if (n == b.length) {
            return local.atZone(zone);
        }
        if (n + 3 != b.length || (b[n] != '+' && b[n] != '-')) {
            return null; // minutes or seconds in the offset: the general path
        }
        int hours = num(b, n + 1, 2);
        ZoneOffset offset = ZoneOffset.ofHours(b[n] == '-' ? -hours : hours);
        return local.atOffset(offset).atZoneSameInstant(zone);
    }

    /**
     * The common case without any date arithmetic: the output zone has a fixed offset and the value is a date,
     * a timestamp, or a timestamptz the server printed at that same offset ({@code +00} for UTC), so CARTO's text
     * is the printed fields with a {@code T} and the offset's suffix. Writes into {@code dest} (24 bytes) and
     * returns the length, or -1 when the value needs {@link #parse}.
     */
    static int cartoTextAtFixedOffset(byte[] b, int offsetSeconds, byte[] suffix, byte[] dest) {
        int n = b.length;
        if (n == 10 && b[4] == '-' && b[7] == '-') {
            System.arraycopy(b, 0, dest, 0, 10);
            System.arraycopy(MIDNIGHT, 0, dest, 10, MIDNIGHT.length);
            System.arraycopy(suffix, 0, dest, 19, suffix.length);
            return 19 + suffix.length;
        }
        if (n < 19 || b[4] != '-' || b[10] != ' ' || b[13] != ':' || b[n - 1] == 'C') {
            return -1;
        }
        int end = 19;
        if (end < n && b[end] == '.') {
            end++;
            while (end < n && b[end] >= '0' && b[end] <= '9') {
                end++;
            }
        }
        if (end != n) { // an offset: only whole hours equal to the output zone's offset are copied
            if (end + 3 != n || (b[end] != '+' && b[end] != '-')) {
                return -1;
            }
            int hours = (b[end + 1] - '0') * 10 + (b[end + 2] - '0');
            if ((b[end] == '-' ? -hours : hours) * 3600 != offsetSeconds) {
                return -1;
            }
        }
        System.arraycopy(b, 0, dest, 0, 19);
        dest[10] = 'T';
        System.arraycopy(suffix, 0, dest, 19, suffix.length);
        return 19 + suffix.length;
    }

    private static final byte[] MIDNIGHT = "T00:00:00".getBytes(StandardCharsets.US_ASCII);

    private static ZonedDateTime general(String s, ZoneId zone) {
        if (s.endsWith("infinity")) {
            return null;
        }
        Matcher m = GENERAL.matcher(s);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a PostgreSQL date/time: " + s);
        }
        int year = Integer.parseInt(m.group(1));
        if (m.group(12) != null) {
            year = 1 - year; // 1 BC is year 0 in ISO's proleptic calendar
        }
        int nanos = m.group(7) == null ? 0 : Integer.parseInt((m.group(7) + "00000000").substring(0, 9));
        LocalDateTime local = LocalDateTime.of(year, Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
                m.group(4) == null ? 0 : Integer.parseInt(m.group(4)), m.group(5) == null ? 0 : Integer.parseInt(m.group(5)),
                m.group(6) == null ? 0 : Integer.parseInt(m.group(6)), nanos);
        if (m.group(8) == null) {
            return local.atZone(zone);
        }
        int secs = Integer.parseInt(m.group(9)) * 3600 + (m.group(10) == null ? 0 : Integer.parseInt(m.group(10)) * 60)
                + (m.group(11) == null ? 0 : Integer.parseInt(m.group(11)));
        ZoneOffset offset = ZoneOffset.ofTotalSeconds(m.group(8).equals("-") ? -secs : secs);
        return local.atOffset(offset).atZoneSameInstant(zone);
    }

    private static int num(byte[] b, int at, int width) {
        int v = 0;
        for (int i = at; i < at + width; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                throw new IllegalArgumentException("not a digit in a PostgreSQL date/time");
            }
            v = v * 10 + d;
        }
        return v;
    }
}
