package io.tessera.server.sql;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.lang.reflect.Array;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postgresql.util.PGobject;

/**
 * Writes one value as CARTO's SQL API does (sql-api.md §2.3): numbers as JSON numbers, NaN and
 * ±Infinity as strings, geometries as hex EWKB, json as nested JSON, dates as
 * {@code YYYY-MM-DDTHH:MM:SS±HHMM} (or {@code Z}) in the server's zone with no milliseconds,
 * intervals as objects, bytea as a Node Buffer object.
 */
public final class ValueWriter {
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");
    private static final Pattern INTERVAL = Pattern.compile(
            "^(?:([+-]?\\d+) years?)?\\s*(?:([+-]?\\d+) mons?)?\\s*(?:([+-]?\\d+) days?)?\\s*"
                    + "(?:([+-])?(\\d+):(\\d+):(\\d+)(?:\\.(\\d{1,6}))?)?$");

    private final ZoneId zone;
    // For a zone with one fixed offset of whole hours (UTC in production), dates are copied from the server's text.
    private final boolean copiesDates;
    private final int offsetSeconds;
    private final byte[] offsetSuffix;

    public ValueWriter(ZoneId zone) {
        this.zone = zone;
        boolean fixedOffset = zone.getRules().isFixedOffset();
        this.offsetSeconds = fixedOffset ? zone.getRules().getOffset(java.time.Instant.EPOCH).getTotalSeconds() : 0;
        this.copiesDates = fixedOffset && offsetSeconds % 3600 == 0;
        this.offsetSuffix = offset(offsetSeconds).getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * A date's text as CARTO writes it into {@code dest} (at least 24 bytes), from the server's text: the length,
     * 0 where CARTO writes null (±infinity, far years).
     */
    int dateText(byte[] b, byte[] dest) {
        if (copiesDates) {
            int n = PgDateText.cartoTextAtFixedOffset(b, offsetSeconds, offsetSuffix, dest);
            if (n > 0) {
                return n;
            }
        }
        String text = dateText(PgDateText.parse(b, zone));
        if (text == null) {
            return 0;
        }
        for (int i = 0; i < text.length(); i++) {
            dest[i] = (byte) text.charAt(i);
        }
        return text.length();
    }

    /** Writes column {@code i} of the current row (SVG and TopoJSON read their rows directly). */
    public void write(JsonGenerator g, ResultSet rs, int i, Column c) throws SQLException, IOException {
        write(g, read(rs, i, c), c);
    }

    /**
     * Column {@code i} of the current row, in the form {@link #write(JsonGenerator, Object, Column)} takes: the
     * raw text bytes the server sent where JSON can be written from them (numbers, booleans, strings, json,
     * dates), so nothing is decoded twice; a Java value otherwise (bytea, arrays, intervals, points, and
     * columns the driver asked for in binary, which it does for a statement it has run several times).
     */
    public Object read(ResultSet rs, int i, Column c) throws SQLException {
        if (c.text()) {
            switch (c.kind()) {
                case BOOL, NUMBER, FLOAT, JSON, DATE, TIMESTAMP, TIMESTAMPTZ, STRING -> {
                    return rs.getBytes(i);
                }
                default -> {
                    // below
                }
            }
        }
        return switch (c.kind()) {
            case BOOL -> {
                boolean b = rs.getBoolean(i);
                yield rs.wasNull() ? null : b;
            }
            case DATE -> rs.getObject(i, LocalDate.class);
            case TIMESTAMP -> rs.getObject(i, LocalDateTime.class);
            case TIMESTAMPTZ -> rs.getObject(i, OffsetDateTime.class);
            case BYTEA -> rs.getBytes(i);
            case ARRAY -> {
                java.sql.Array a = rs.getArray(i);
                yield a == null ? null : a.getArray();
            }
            default -> rs.getString(i);
        };
    }

    /** Writes a value {@link #read} returned for a column of {@code c}'s kind. */
    public void write(JsonGenerator g, Object v, Column c) throws IOException {
        if (v == null) {
            g.writeNull();
            return;
        }
        switch (c.kind()) {
            case BOOL -> g.writeBoolean(v instanceof byte[] b ? b[0] == 't' : (Boolean) v);
            case NUMBER, FLOAT -> {
                if (v instanceof byte[] b) {
                    writeNumberBytes(g, b);
                } else {
                    writeNumberText(g, (String) v);
                }
            }
            case JSON -> g.writeRawValue(v instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : (String) v);
            case DATE, TIMESTAMP, TIMESTAMPTZ -> writeInstant(g, switch (v) {
                case byte[] b -> PgDateText.parse(b, zone);
                case LocalDate d -> d.atStartOfDay(zone);
                case LocalDateTime t -> t.atZone(zone);
                case OffsetDateTime t -> t.atZoneSameInstant(zone);
                default -> throw new IllegalStateException("not a date: " + v.getClass());
            });
            case INTERVAL -> writeInterval(g, (String) v);
            case BYTEA -> writeBuffer(g, (byte[]) v);
            case POINT -> writePoint(g, (String) v);
            case ARRAY -> writeArrayValue(g, v);
            case STRING -> {
                if (v instanceof byte[] b && !(g.getOutputTarget() instanceof java.io.Writer)) {
                    g.writeUTF8String(b, 0, b.length); // escapes the UTF-8 bytes as they are, no String between
                } else if (v instanceof byte[] b) {
                    g.writeString(new String(b, StandardCharsets.UTF_8)); // a character generator has no byte path
                } else {
                    g.writeString((String) v);
                }
            }
        }
    }

    /** NaN or ±Infinity as the server writes them (float, numeric): CARTO writes those as strings. */
    static boolean isSpecialNumber(byte[] b) {
        byte first = b[0];
        return first == 'N' || first == 'I' || (first == '-' && b.length > 1 && b[1] == 'I');
    }

    private static String dateText(ZonedDateTime t) {
        if (t == null || t.getYear() > 9999 || t.getYear() < -9999) {
            // 'infinity' (the driver maps it to the extremes): node-pg yields Infinity, which JSON writes as null
            return null;
        }
        return formatDate(t);
    }

    /** A number as the server wrote it; NaN and ±Infinity (float, numeric) become strings as in CARTO. */
    private static void writeNumberBytes(JsonGenerator g, byte[] b) throws IOException {
        if (isSpecialNumber(b)) {
            g.writeString(new String(b, StandardCharsets.US_ASCII));
            return;
        }
        char[] chars = new char[b.length];
        for (int k = 0; k < b.length; k++) {
            chars[k] = (char) b[k];
        }
        g.writeNumber(chars, 0, chars.length);
    }

    private static void writeNumberText(JsonGenerator g, String s) throws IOException {
        if (s == null) {
            g.writeNull();
        } else if (s.equals("NaN") || s.equals("Infinity") || s.equals("-Infinity")) {
            g.writeString(s);
        } else {
            g.writeNumber(s);
        }
    }

    private static void writeInstant(JsonGenerator g, ZonedDateTime t) throws IOException {
        String text = dateText(t);
        if (text == null) {
            g.writeNull();
        } else {
            g.writeString(text);
        }
    }

    /**
     * {@code 2011-09-21T14:02:21Z} or {@code 2000-01-01T00:00:00+0100}: no milliseconds, no colon in the offset.
     * Digits are written by hand: this runs for every date of every exported row.
     */
    public static String formatDate(ZonedDateTime t) {
        int year = t.getYear();
        if (year < 0 || year > 9999) {
            return LOCAL.format(t) + offset(t.getOffset().getTotalSeconds());
        }
        char[] b = new char[24];
        int n = digits(b, 0, year, 4);
        b[n++] = '-';
        n = digits(b, n, t.getMonthValue(), 2);
        b[n++] = '-';
        n = digits(b, n, t.getDayOfMonth(), 2);
        b[n++] = 'T';
        n = digits(b, n, t.getHour(), 2);
        b[n++] = ':';
        n = digits(b, n, t.getMinute(), 2);
        b[n++] = ':';
        n = digits(b, n, t.getSecond(), 2);
        int secs = t.getOffset().getTotalSeconds();
        if (secs == 0) {
            b[n++] = 'Z';
        } else {
            int abs = Math.abs(secs);
            b[n++] = secs < 0 ? '-' : '+';
            n = digits(b, n, abs / 3600, 2);
            n = digits(b, n, (abs % 3600) / 60, 2);
        }
        return new String(b, 0, n);
    }

    private static int digits(char[] b, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            b[i] = (char) ('0' + value % 10);
            value /= 10;
        }
        return at + width;
    }

    private static String offset(int secs) {
        if (secs == 0) {
            return "Z";
        }
        int abs = Math.abs(secs);
        return (secs < 0 ? "-" : "+") + String.format("%02d%02d", abs / 3600, (abs % 3600) / 60);
    }

    /** As node-pg's postgres-interval: non-zero parts only, in the order years … milliseconds. */
    static void writeInterval(JsonGenerator g, String s) throws IOException {
        if (s == null) {
            g.writeNull();
            return;
        }
        Matcher m = INTERVAL.matcher(s.trim());
        if (!m.matches()) {
            g.writeString(s);
            return;
        }
        g.writeStartObject();
        writePart(g, "years", m.group(1), false);
        writePart(g, "months", m.group(2), false);
        writePart(g, "days", m.group(3), false);
        boolean negative = "-".equals(m.group(4));
        writePart(g, "hours", m.group(5), negative);
        writePart(g, "minutes", m.group(6), negative);
        writePart(g, "seconds", m.group(7), negative);
        if (m.group(8) != null) {
            double ms = Double.parseDouble("0." + m.group(8)) * 1000;
            if (ms != 0) {
                g.writeFieldName("milliseconds");
                double v = negative ? -ms : ms;
                if (v == Math.rint(v)) {
                    g.writeNumber((long) v);
                } else {
                    g.writeNumber(v);
                }
            }
        }
        g.writeEndObject();
    }

    private static void writePart(JsonGenerator g, String name, String value, boolean negative) throws IOException {
        if (value == null) {
            return;
        }
        long v = Long.parseLong(value);
        if (v != 0) {
            g.writeNumberField(name, negative ? -v : v);
        }
    }

    private static void writeBuffer(JsonGenerator g, byte[] b) throws IOException {
        if (b == null) {
            g.writeNull();
            return;
        }
        g.writeStartObject();
        g.writeStringField("type", "Buffer");
        g.writeArrayFieldStart("data");
        for (byte x : b) {
            g.writeNumber(x & 0xFF);
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void writePoint(JsonGenerator g, String s) throws IOException {
        if (s == null) {
            g.writeNull();
            return;
        }
        String[] xy = s.replace("(", "").replace(")", "").split(",");
        g.writeStartObject();
        g.writeFieldName("x");
        writeNumberText(g, xy[0].trim());
        g.writeFieldName("y");
        writeNumberText(g, xy[1].trim());
        g.writeEndObject();
    }

    private void writeArrayValue(JsonGenerator g, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v.getClass().isArray()) {
            g.writeStartArray();
            int n = Array.getLength(v);
            for (int k = 0; k < n; k++) {
                writeArrayValue(g, Array.get(v, k));
            }
            g.writeEndArray();
        } else if (v instanceof Double d) {
            writeNumberText(g, d.isNaN() ? "NaN" : d.isInfinite() ? (d > 0 ? "Infinity" : "-Infinity") : d.toString());
        } else if (v instanceof Float f) {
            writeNumberText(g, f.isNaN() ? "NaN" : f.isInfinite() ? (f > 0 ? "Infinity" : "-Infinity") : f.toString());
        } else if (v instanceof java.math.BigDecimal bd) {
            g.writeNumber(bd);
        } else if (v instanceof Number n) {
            g.writeNumber(n.toString());
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (v instanceof Timestamp t) {
            g.writeString(formatDate(t.toInstant().atZone(zone)));
        } else if (v instanceof java.sql.Date d) {
            g.writeString(formatDate(d.toLocalDate().atStartOfDay(zone)));
        } else if (v instanceof PGobject o) {
            if ("json".equals(o.getType()) || "jsonb".equals(o.getType())) {
                g.writeRawValue(o.getValue());
            } else {
                g.writeString(o.getValue());
            }
        } else if (v instanceof byte[] b) {
            writeBuffer(g, b);
        } else {
            g.writeString(v.toString());
        }
    }
}
