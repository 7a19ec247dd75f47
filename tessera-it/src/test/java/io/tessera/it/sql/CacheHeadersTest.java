package io.tessera.it.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.client.sql.SqlClient;
import io.tessera.it.TesseraHarness;
import io.tessera.server.auth.Accounts;
import io.tessera.server.testing.TestPostgis;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.Statement;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The SQL API's cache headers (sql-api.md §6.3) from the tables a query touches and their change stamps. */
class CacheHeadersTest {
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US);
    private static Accounts.Created user;
    private static SqlClient sql;
    private static String schema;
    private static String db;

    @BeforeAll
    static void setUp() throws Exception {
        user = TesseraHarness.newUser("cachehdr");
        sql = TesseraHarness.master(user);
        schema = user.user().schema();
        sql.send("CREATE TABLE roads (id int, name text); SELECT CDB_CartodbfyTable('roads');"
                + "CREATE TABLE towns (id int, name text); SELECT CDB_CartodbfyTable('towns');"
                + "INSERT INTO roads (name) VALUES ('a'), ('b'); INSERT INTO towns (name) VALUES ('x');"
                + "CREATE TABLE untracked (id int)");
        db = TestPostgis.platform().endpoint().database();
    }

    private static void setStamp(String table, String at) throws Exception {
        try (Connection c = TestPostgis.platform().admin().dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("UPDATE cartodb.cdb_tablemetadata SET updated_at = '" + at + "' WHERE tabname = '\""
                    + schema + "\"." + table + "'::regclass");
        }
    }

    /**
     * The answer once {@code header} reads {@code expected}: a stamp changed behind the server's back reaches its
     * in-memory copy through a notification, which lands shortly after the change commits.
     */
    private static HttpResponse<String> awaitHeader(String q, String header, String expected) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        HttpResponse<String> r = query(q, "");
        while (!expected.equals(header(r, header)) && System.nanoTime() < deadline) {
            Thread.sleep(20);
            r = query(q, "");
        }
        return r;
    }

    private static HttpResponse<String> query(String q, String extra) throws Exception {
        return TesseraHarness.get("/user/" + user.user().username() + "/api/v2/sql?api_key=" + user.masterKey() + "&q="
                + URLEncoder.encode(q, StandardCharsets.UTF_8) + extra, null);
    }

    private static String header(HttpResponse<?> r, String name) {
        return r.headers().firstValue(name).orElse(null);
    }

    private static String surrogate(String target) throws Exception {
        byte[] d = MessageDigest.getInstance("SHA-256").digest(target.getBytes(StandardCharsets.UTF_8));
        return "t:" + Base64.getEncoder().encodeToString(d).substring(0, 6);
    }

    @Test
    void queryOverTwoTablesCarriesExactHeaders() throws Exception {
        setStamp("roads", "2014-01-01 23:31:30+00");
        setStamp("towns", "2015-03-04 05:06:07+00");
        String q = "SELECT r.name, t.name FROM roads r JOIN towns t ON t.cartodb_id = r.cartodb_id WHERE r.cartodb_id = 1";
        HttpResponse<String> r = awaitHeader(q, "Last-Modified", "Wed, 04 Mar 2015 05:06:07 GMT");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(header(r, "Cache-Control")).isEqualTo("no-cache,max-age=31536000,must-revalidate,public");
        assertThat(header(r, "X-Cache-Channel")).isEqualTo(db + ":" + schema + ".roads," + schema + ".towns");
        String k1 = surrogate(db + ":" + schema + ".roads");
        String k2 = surrogate(db + ":" + schema + ".towns");
        assertThat(header(r, "Surrogate-Key")).isEqualTo(k1.compareTo(k2) < 0 ? k1 + " " + k2 : k2 + " " + k1);
        assertThat(header(r, "Last-Modified")).isEqualTo("Wed, 04 Mar 2015 05:06:07 GMT");

        // Another id: the same fingerprint, served from the plan cache, still reads the current stamps.
        setStamp("roads", "2016-02-01 00:00:01+00");
        HttpResponse<String> again = awaitHeader(q.replace("= 1", "= 2"), "Last-Modified", "Mon, 01 Feb 2016 00:00:01 GMT");
        assertThat(header(again, "Last-Modified")).isEqualTo("Mon, 01 Feb 2016 00:00:01 GMT");
        assertThat(header(again, "X-Cache-Channel")).isEqualTo(header(r, "X-Cache-Channel"));
    }

    @Test
    void writeThroughSqlApiMovesLastModified() throws Exception {
        setStamp("towns", "2014-01-01 00:00:00+00");
        String before = header(awaitHeader("SELECT * FROM towns", "Last-Modified", "Wed, 01 Jan 2014 00:00:00 GMT"), "Last-Modified");
        assertThat(before).isEqualTo("Wed, 01 Jan 2014 00:00:00 GMT");

        HttpResponse<String> write = query("UPDATE towns SET name = 'y' WHERE cartodb_id = 1", "");
        assertThat(write.statusCode()).isEqualTo(200);
        // A write is not cacheable and names no channel; its stamp is the one it started from.
        assertThat(header(write, "Cache-Control")).isEqualTo("no-cache,max-age=0,must-revalidate,public");
        assertThat(header(write, "X-Cache-Channel")).isNull();
        assertThat(header(write, "Surrogate-Key")).isNull();

        // No waiting here: a write through the SQL API drops the node's copy before it answers.
        String after = header(query("SELECT * FROM towns", ""), "Last-Modified");
        ZonedDateTime moved = ZonedDateTime.parse(after, HTTP_DATE.withZone(ZoneOffset.UTC));
        assertThat(moved.getYear()).isGreaterThanOrEqualTo(2026);
    }

    @Test
    void untrackedTablesAndTablelessQueriesFallBack() throws Exception {
        HttpResponse<String> u = query("SELECT * FROM untracked", "");
        assertThat(header(u, "Cache-Control")).matches("no-cache,max-age=([1-9]|[1-9]\\d|[12]\\d\\d|300),must-revalidate,public");
        assertThat(header(u, "X-Cache-Channel")).isNull();
        assertThat(header(u, "Last-Modified")).isNotNull();

        HttpResponse<String> none = query("SELECT 1 AS x", "");
        assertThat(header(none, "Cache-Control")).isEqualTo("no-cache,max-age=31536000,must-revalidate,public");
        assertThat(header(none, "X-Cache-Channel")).isNull();
        assertThat(header(none, "Last-Modified")).isNotNull();

        assertThat(header(query("SELECT * FROM roads", "&cache_policy=persist"), "Cache-Control"))
                .isEqualTo("public,max-age=31536000");
    }

    @Test
    void cachedPlansNeverLetAPublicKeyPastTheSystemTableRule() {
        SqlClient anonymous = TesseraHarness.anonymous(user);
        // A constant-false filter must not get a plan without pg_class cached for the fingerprint of "1 = 1".
        for (String q : new String[] {"SELECT relname FROM pg_class WHERE 1 = 0", "SELECT relname FROM pg_class WHERE 1 = 1"}) {
            assertThatThrownBy(() -> anonymous.send(q)).hasMessageContaining("system tables are forbidden");
        }
    }

    @Test
    void queryTablesFunctionsListWhatAQueryReads() {
        var rows = sql.send("SELECT CDB_QueryTablesText('SELECT * FROM roads; UPDATE towns SET name = name; "
                + "SELECT t.* FROM towns t, roads') AS t, CDB_QueryTables('SELECT 1') AS none").get("rows").get(0);
        String quoted = "\\\"" + schema + "\\\""; // quote_ident: the schema name has a dash
        assertThat(rows.get("t").toString()).isEqualTo("[\"" + quoted + ".roads\",\"" + quoted + ".towns\"]");
        assertThat(rows.get("none").size()).isZero();
    }
}
