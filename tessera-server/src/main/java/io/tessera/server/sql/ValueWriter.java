package io.tessera.server.sql;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.lang.reflect.Array;
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

    public ValueWriter(ZoneId zone) {
        this.zone = zone;
    }

    public void write(JsonGenerator g, ResultSet rs, int i, Column c) throws SQLException, IOException {
        switch (c.kind()) {
            case BOOL -> {
                boolean b = rs.getBoolean(i);
                if (rs.wasNull()) {
                    g.writeNull();
                } else {
                    g.writeBoolean(b);
                }
            }
            case NUMBER, FLOAT -> writeNumberText(g, rs.getString(i));
            case JSON -> {
                String s = rs.getString(i);
                if (s == null) {
                    g.writeNull();
                } else {
                    g.writeRawValue(s);
                }
            }
            case DATE -> {
                LocalDate d = rs.getObject(i, LocalDate.class);
                writeInstant(g, d == null ? null : d.atStartOfDay(zone));
            }
            case TIMESTAMP -> {
                LocalDateTime t = rs.getObject(i, LocalDateTime.class);
                writeInstant(g, t == null ? null : t.atZone(zone));
            }
            case TIMESTAMPTZ -> {
                OffsetDateTime t = rs.getObject(i, OffsetDateTime.class);
                writeInstant(g, t == null ? null : t.atZoneSameInstant(zone));
            }
            case INTERVAL -> writeInterval(g, rs.getString(i));
            case BYTEA -> writeBuffer(g, rs.getBytes(i));
            case POINT -> writePoint(g, rs.getString(i));
            case ARRAY -> {
                java.sql.Array a = rs.getArray(i);
                if (a == null) {
                    g.writeNull();
                } else {
                    writeArrayValue(g, a.getArray());
                }
            }
            case STRING -> {
                String s = rs.getString(i);
                if (s == null) {
                    g.writeNull();
                } else {
                    g.writeString(s);
                }
            }
        }
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
        if (t == null) {
            g.writeNull();
            return;
        }
        if (t.getYear() > 9999 || t.getYear() < -9999) {
            // 'infinity' (the driver maps it to the extremes): node-pg yields Infinity, which JSON writes as null
            g.writeNull();
            return;
        }
        g.writeString(formatDate(t));
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
