package io.tessera.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessera.client.sql.SqlClient;
import io.tessera.server.auth.Accounts;
import io.tessera.server.testing.TestPostgis;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Results bigger than one cursor fetch stream through a reader thread that reads ahead while rows are written
 * (RowPipe), and values are written from the server's text: every row arrives, in order, with CARTO's value
 * forms; dates keep their instant whatever the session's zone or the offset's shape; a repeated query (which
 * the driver prepares, receiving some types in binary) writes the same; a client leaving mid-stream does not
 * cost its database connection.
 */
class SqlExportStreamingTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ROWS = 7_000; // above the default fetch size, so the reader thread runs
    private static Accounts.Created user;
    private static SqlClient sql;

    @BeforeAll
    static void setUp() {
        user = TesseraHarness.newUser("stream");
        sql = TesseraHarness.master(user);
        sql.send("CREATE TABLE big AS SELECT i AS cartodb_id, 'row \"' || i || E'\"\\n\u00e9' AS name, i % 7 = 0 AS flag,"
                + " CASE WHEN i % 5 = 0 THEN NULL ELSE i * 1.5 END AS amount,"
                + " timestamptz '2020-01-01 00:00:00+00' + i * interval '1 minute 1.25 second' AS seen,"
                + " ST_SetSRID(ST_MakePoint(i % 180, i % 90), 4326) AS the_geom FROM generate_series(1, " + ROWS + ") i");
    }

    private static String get(String query, String format) throws Exception {
        HttpResponse<String> r = TesseraHarness.get(path(query) + (format == null ? "" : "&format=" + format), null);
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    private static String path(String query) {
        return "/user/" + user.user().username() + "/api/v2/sql?api_key=" + user.masterKey() + "&q="
                + URLEncoder.encode(query, StandardCharsets.UTF_8);
    }

    @Test
    void everyRowArrivesInOrderWithItsValues() throws Exception {
        JsonNode r = JSON.readTree(get("SELECT cartodb_id, name, flag, amount, seen FROM big ORDER BY cartodb_id", null));
        JsonNode rows = r.get("rows");
        assertThat(rows.size()).isEqualTo(ROWS);
        assertThat(r.get("total_rows").asInt()).isEqualTo(ROWS);
        ZoneId zone = ZoneId.systemDefault();
        for (int i = 1; i <= ROWS; i++) {
            JsonNode row = rows.get(i - 1);
            assertThat(row.get("cartodb_id").asInt()).isEqualTo(i);
            assertThat(row.get("name").asText()).isEqualTo("row \"" + i + "\"\n\u00e9");
            assertThat(row.get("flag").asBoolean()).isEqualTo(i % 7 == 0);
            if (i % 5 == 0) {
                assertThat(row.get("amount").isNull()).isTrue();
            } else {
                assertThat(row.get("amount").decimalValue()).isEqualByComparingTo(java.math.BigDecimal.valueOf(i * 1.5));
            }
            long millis = Instant.parse("2020-01-01T00:00:00Z").toEpochMilli() + i * 61_250L;
            assertThat(row.get("seen").asText()).isEqualTo(cartoDate(Instant.ofEpochMilli(millis).atZone(zone)));
        }
    }

    @Test
    void aSmallAnswerGoesOutWholeWithItsLengthAndABigOneStreams() throws Exception {
        HttpResponse<String> small = TesseraHarness.get(path("SELECT cartodb_id, name FROM big WHERE cartodb_id = 3"), null);
        assertThat(small.statusCode()).isEqualTo(200);
        assertThat(small.headers().firstValue("Content-Length")).hasValue(
                Integer.toString(small.body().getBytes(StandardCharsets.UTF_8).length));
        assertThat(JSON.readTree(small.body()).get("rows").get(0).get("name").asText()).isEqualTo("row \"3\"\n\u00e9");

        HttpResponse<String> big = TesseraHarness.get(path("SELECT cartodb_id, name FROM big"), null);
        assertThat(big.headers().firstValue("Content-Length")).isEmpty();
        assertThat(big.headers().firstValue("Transfer-Encoding")).hasValue("chunked");
        assertThat(JSON.readTree(big.body()).get("total_rows").asInt()).isEqualTo(ROWS);
    }

    @Test
    void answersOfEveryLengthAroundTheBuffersEdgesArriveWhole() throws Exception {
        // The body buffer starts at 1 KiB and grows to 16 KiB; the row encoder's from 1 KiB to 64 KiB, sending values
        // over 16 KiB past itself. Values of these lengths cross each edge, alone and after other rows.
        for (int n : new int[] {0, 900, 1023, 1024, 1025, 4000, 8191, 8192, 16383, 16384, 16385, 40000, 70000}) {
            String q = "SELECT i, repeat('x', " + n + ") || i AS v FROM generate_series(1, 3) i";
            JsonNode rows = JSON.readTree(get(q, null)).get("rows");
            assertThat(rows.size()).isEqualTo(3);
            for (int i = 1; i <= 3; i++) {
                assertThat(rows.get(i - 1).get("v").asText()).as("length %d, row %d", n, i).isEqualTo("x".repeat(n) + i);
            }
        }
    }

    @Test
    void stringsAreEscapedAsJacksonDoes() throws Exception {
        // every control character, quotes, backslashes, a slash, Latin-1, a BMP symbol and an emoji
        String body = get("SELECT string_agg(chr(i), '' ORDER BY i) || E'\"\\\\/\u00e9\u2028\\U0001F600' AS s,"
                + " 'plain' AS p FROM generate_series(1, 31) i", null);
        StringBuilder expected = new StringBuilder();
        for (int i = 1; i <= 31; i++) {
            expected.append((char) i);
        }
        expected.append("\"\\/\u00e9\u2028").appendCodePoint(0x1F600);
        JsonNode row = JSON.readTree(body).get("rows").get(0);
        assertThat(row.get("s").asText()).isEqualTo(expected.toString());
        assertThat(body).contains("\\u0001").contains("\\u001F").contains("\\n").contains("\\t").contains("\\\"")
                .contains("\\\\/").contains("\"p\":\"plain\"");
        assertThat(body).isEqualTo(body.replace("\\u001f", "?")); // upper-case hex digits, as Jackson writes
    }

    @Test
    void geojsonFeaturesArriveWhole() throws Exception {
        JsonNode fc = JSON.readTree(get("SELECT cartodb_id, name, the_geom FROM big ORDER BY cartodb_id", "geojson"));
        JsonNode features = fc.get("features");
        assertThat(features.size()).isEqualTo(ROWS);
        for (int i = 1; i <= ROWS; i++) {
            JsonNode f = features.get(i - 1);
            assertThat(f.get("properties").get("cartodb_id").asInt()).isEqualTo(i);
            assertThat(f.get("geometry").get("coordinates").toString()).isEqualTo("[" + (i % 180) + "," + (i % 90) + "]");
        }
    }

    @Test
    void datesKeepTheirInstantWhateverTheSessionZoneOrOffsetShape() throws Exception {
        String select = "SELECT '2011-09-21 14:02:21.314252+00'::timestamptz AS ts, '1900-01-01 00:00:00+00'::timestamptz AS lmt,"
                + " 'infinity'::timestamptz AS inf, '-infinity'::date AS ninf, '0044-03-15 BC'::date AS bc,"
                + " '2000-06-01 12:00:00'::timestamp AS local, '2000-06-01'::date AS d";
        JsonNode plain = JSON.readTree(get(select, null)).get("rows").get(0);
        // Kolkata prints +05:30, Amsterdam in 1900 printed local mean time, +00:19:32.
        for (String zone : new String[] {"Asia/Kolkata", "Europe/Amsterdam", "America/St_Johns"}) {
            JsonNode zoned = JSON.readTree(get("SET TIME ZONE '" + zone + "'; " + select, null)).get("rows").get(0);
            assertThat(zoned.get("ts")).isEqualTo(plain.get("ts"));
            assertThat(zoned.get("lmt")).isEqualTo(plain.get("lmt"));
        }
        ZoneId server = ZoneId.systemDefault();
        assertThat(plain.get("ts").asText()).isEqualTo(cartoDate(Instant.parse("2011-09-21T14:02:21Z").atZone(server)));
        assertThat(plain.get("lmt").asText()).isEqualTo(cartoDate(Instant.parse("1900-01-01T00:00:00Z").atZone(server)));
        assertThat(plain.get("inf").isNull()).isTrue();
        assertThat(plain.get("ninf").isNull()).isTrue();
        assertThat(plain.get("bc").asText()).startsWith("-0043-03-15T00:00:00");
        assertThat(plain.get("local").asText()).isEqualTo(cartoDate(ZonedDateTime.of(2000, 6, 1, 12, 0, 0, 0, server)));
        assertThat(plain.get("d").asText()).isEqualTo(cartoDate(ZonedDateTime.of(2000, 6, 1, 0, 0, 0, 0, server)));
    }

    @Test
    void aRepeatedQueryWritesTheSameRows() throws Exception {
        // The driver prepares a statement it has run several times, and may then receive some types in binary.
        String query = "SELECT cartodb_id, flag, amount, seen, 1.5::float8 AS f, 7::int2 AS s, '2001-02-03'::date AS d,"
                + " 'NaN'::float8 AS nan FROM big WHERE cartodb_id <= 3 ORDER BY cartodb_id";
        String first = JSON.readTree(get(query, null)).get("rows").toString();
        for (int i = 0; i < 8; i++) {
            assertThat(JSON.readTree(get(query, null)).get("rows").toString()).isEqualTo(first);
        }
        assertThat(first).contains("\"nan\":\"NaN\"").contains("\"f\":1.5").contains("\"s\":7");
    }

    @Test
    void aClientLeavingMidStreamDoesNotCostItsConnection() throws Exception {
        Accounts.Created solo = TesseraHarness.newUser("leaver");
        SqlClient s = TesseraHarness.master(solo);
        int pid = s.send("SELECT pg_backend_pid() AS p").get("rows").get(0).get("p").asInt();
        for (int k = 0; k < 3; k++) {
            readSomeAndLeave(solo, "SELECT i, repeat('x', 200) AS pad FROM generate_series(1, 200000) i");
            awaitIdleOrGone(pid);
            assertThat(alive(pid)).as("the connection survives a client that left").isTrue();
            assertThat(s.send("SELECT pg_backend_pid() AS p").get("rows").get(0).get("p").asInt()).isEqualTo(pid);
        }
    }

    /** Sends a GET for a big result, reads its first bytes and closes the socket. */
    private static void readSomeAndLeave(Accounts.Created who, String query) throws Exception {
        URI base = URI.create(TesseraHarness.url("/"));
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET /user/" + who.user().username() + "/api/v2/sql?api_key=" + who.masterKey() + "&q="
                    + URLEncoder.encode(query, StandardCharsets.UTF_8) + " HTTP/1.1\r\nHost: " + base.getHost() + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] buf = new byte[64 * 1024];
            int total = 0;
            while (total < 256 * 1024) {
                int n = in.read(buf);
                assertThat(n).isPositive();
                total += n;
            }
        }
    }

    /** Waits until backend {@code pid} is idle (its request finished) or gone, for up to a minute. */
    private static void awaitIdleOrGone(int pid) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            String state = state(pid);
            if (state == null || state.equals("idle")) {
                return;
            }
            Thread.sleep(50);
        }
    }

    private static boolean alive(int pid) throws Exception {
        return state(pid) != null;
    }

    private static String state(int pid) throws Exception {
        try (Connection c = TestPostgis.platform().admin().dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT state FROM pg_stat_activity WHERE pid = ?")) {
            ps.setInt(1, pid);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** CARTO's date form: no fraction, offset without colon or Z. */
    private static String cartoDate(ZonedDateTime t) {
        String base = String.format("%04d-%02d-%02dT%02d:%02d:%02d", t.getYear(), t.getMonthValue(), t.getDayOfMonth(),
                t.getHour(), t.getMinute(), t.getSecond());
        int secs = t.getOffset().getTotalSeconds();
        if (secs == 0) {
            return base + "Z";
        }
        int abs = Math.abs(secs);
        return base + (secs < 0 ? "-" : "+") + String.format("%02d%02d", abs / 3600, (abs % 3600) / 60);
    }
}
