package io.tessera.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessera.client.CartoException;
import io.tessera.client.sql.SqlClient;
import io.tessera.client.sql.SqlOptions;
import io.tessera.client.sql.SqlRowStream;
import io.tessera.server.auth.Accounts;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The SQL API core through the SDK and raw HTTP: shapes, types, formats, errors. */
class SqlApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Accounts.Created alice;
    private static SqlClient sql;

    @BeforeAll
    static void setUp() {
        alice = TesseraHarness.newUser("sqlapi");
        sql = TesseraHarness.master(alice);
        sql.send("CREATE TABLE places (cartodb_id serial PRIMARY KEY, name text, pop int8, the_geom geometry(Point,4326));"
                + "INSERT INTO places (name, pop, the_geom) VALUES ('a,\"b\"', 12, ST_SetSRID(ST_MakePoint(1, 2), 4326)),"
                + " ('c', 9007199254740993, NULL)");
    }

    private static String raw(String query) throws Exception {
        HttpResponse<String> r = TesseraHarness.get("/user/" + alice.user().username() + "/api/v2/sql?api_key="
                + alice.masterKey() + "&" + query, null);
        return r.body();
    }

    private static String q(String s) {
        return "q=" + URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Test
    void jsonHasCartoShapeAndKeyOrder() throws Exception {
        String body = raw(q("SELECT 1 AS a, 'x'::text AS b"));
        assertThat(body).startsWith("{\"rows\":[{\"a\":1,\"b\":\"x\"}],\"time\":");
        assertThat(body).contains(",\"fields\":{\"a\":{\"type\":\"number\",\"pgtype\":\"int4\"},\"b\":{\"type\":\"string\",\"pgtype\":\"text\"}},\"total_rows\":1}");
    }

    @Test
    void typesMapAndSerialiseAsCarto() {
        JsonNode r = sql.send("SELECT true AS b, 2::int2 AS i2, 9007199254740993::int8 AS i8, 1.50::numeric AS n,"
                + " 'NaN'::float8 AS nan, '-Infinity'::float8 AS ninf, 0.1::float4 AS f4, 'x'::varchar AS v, 'c'::char(1) AS ch,"
                + " '{\"k\":[1,2]}'::json AS j, '{\"k\":1}'::jsonb AS jb, ARRAY[1,2]::int4[] AS ia, ARRAY['a','b'] AS ta,"
                + " '2000-01-01'::date AS d, '2011-09-21 14:02:21.314252+00'::timestamptz AS ts, '12:30'::time AS t,"
                + " '1 day 02:03:04'::interval AS iv, '\\x0102'::bytea AS by, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid AS u,"
                + " ST_SetSRID(ST_MakePoint(1,2),4326) AS g, NULL::text AS nul");
        JsonNode row = r.get("rows").get(0);
        assertThat(row.get("b").asBoolean()).isTrue();
        assertThat(row.get("i2").isNumber()).isTrue();
        assertThat(row.get("i8").isNumber()).isTrue();
        assertThat(row.get("i8").bigIntegerValue().toString()).isEqualTo("9007199254740993");
        assertThat(row.get("n").decimalValue()).isEqualByComparingTo("1.5");
        assertThat(row.get("nan").asText()).isEqualTo("NaN");
        assertThat(row.get("ninf").asText()).isEqualTo("-Infinity");
        assertThat(row.get("j").get("k").get(1).asInt()).isEqualTo(2);
        assertThat(row.get("jb").get("k").asInt()).isEqualTo(1);
        assertThat(row.get("ia").toString()).isEqualTo("[1,2]");
        assertThat(row.get("ta").toString()).isEqualTo("[\"a\",\"b\"]");
        assertThat(row.get("ts").asText()).matches("2011-09-21T\\d\\d:02:21(Z|[+-]\\d{4})");
        assertThat(row.get("d").asText()).matches("2000-01-01T00:00:00(Z|[+-]\\d{4})");
        assertThat(row.get("iv").toString()).isEqualTo("{\"days\":1,\"hours\":2,\"minutes\":3,\"seconds\":4}");
        assertThat(row.get("by").toString()).isEqualTo("{\"type\":\"Buffer\",\"data\":[1,2]}");
        assertThat(row.get("g").asText()).isEqualTo("0101000020E6100000000000000000F03F0000000000000040");
        assertThat(row.get("nul").isNull()).isTrue();
        JsonNode f = r.get("fields");
        assertThat(f.get("b").get("type").asText()).isEqualTo("boolean");
        assertThat(f.get("i8").get("type").asText()).isEqualTo("number");
        assertThat(f.get("ts").get("type").asText()).isEqualTo("date");
        assertThat(f.get("t").get("type").asText()).isEqualTo("date");
        assertThat(f.get("v").get("type").asText()).isEqualTo("string");
        assertThat(f.get("ia").get("type").asText()).isEqualTo("number[]");
        assertThat(f.get("ta").get("type").asText()).isEqualTo("string[]");
        assertThat(f.get("u").get("type").asText()).isEqualTo("uuid");
        assertThat(f.get("g").toString()).isEqualTo("{\"type\":\"geometry\",\"dims\":4,\"srid\":-1}");
    }

    @Test
    void tableGeometryFieldCarriesTypmod() {
        JsonNode f = sql.send("SELECT the_geom FROM places LIMIT 1").get("fields");
        assertThat(f.get("the_geom").toString()).isEqualTo("{\"type\":\"geometry\",\"wkbtype\":\"Point\",\"dims\":2,\"srid\":4326}");
    }

    @Test
    void dmlReportsAffectedRowsAndMultiStatementRuns() {
        JsonNode r = sql.send("UPDATE places SET pop = pop WHERE true");
        assertThat(r.get("total_rows").asInt()).isEqualTo(2);
        assertThat(r.get("rows").size()).isZero();
        JsonNode m = sql.send("CREATE TEMP TABLE tmp AS SELECT 1 AS x; SELECT x FROM tmp");
        assertThat(m.get("rows").get(0).get("x").asInt()).isEqualTo(1);
        JsonNode tx = sql.send("BEGIN; INSERT INTO places (name) VALUES ('tx'); COMMIT; SELECT count(*) AS n FROM places WHERE name = 'tx'");
        assertThat(tx.get("rows").get(0).get("n").asInt()).isEqualTo(1);
        assertThat(sql.send("VACUUM places").get("total_rows").asInt()).isZero();
    }

    @Test
    void failedScriptLeavesNothingBehind() {
        assertThatThrownBy(() -> sql.send("INSERT INTO places (name) VALUES ('ghost'); SELECT 1/0"))
                .isInstanceOf(CartoException.class).hasMessageContaining("division by zero");
        assertThat(sql.send("SELECT count(*) AS n FROM places WHERE name = 'ghost'").get("rows").get(0).get("n").asInt()).isZero();
    }

    @Test
    void noticesAreReported() {
        JsonNode r = sql.send("DO $$ BEGIN RAISE NOTICE 'hello notice'; RAISE WARNING 'careful'; END $$");
        assertThat(r.get("notices").get(0).asText()).isEqualTo("hello notice");
        assertThat(r.get("warnings").get(0).asText()).isEqualTo("careful");
    }

    @Test
    void geojsonIsAFeatureCollection() throws Exception {
        String body = raw(q("SELECT * FROM places ORDER BY cartodb_id LIMIT 2") + "&format=geojson");
        assertThat(body).startsWith("{\"type\": \"FeatureCollection\", \"features\": [");
        JsonNode fc = JSON.readTree(body);
        JsonNode f0 = fc.get("features").get(0);
        assertThat(f0.get("type").asText()).isEqualTo("Feature");
        assertThat(f0.get("geometry").get("coordinates").toString()).isEqualTo("[1,2]");
        assertThat(f0.get("properties").has("the_geom")).isFalse();
        assertThat(f0.get("properties").get("name").asText()).isEqualTo("a,\"b\"");
        assertThat(fc.get("features").get(1).get("geometry").isNull()).isTrue();
    }

    @Test
    void csvHasHeaderQuotingAndCrlf() throws Exception {
        HttpResponse<String> r = TesseraHarness.get("/user/" + alice.user().username() + "/api/v2/sql?api_key="
                + alice.masterKey() + "&format=csv&filename=my%20export&"
                + q("SELECT cartodb_id, name, the_geom FROM places WHERE name IN ('a,\"b\"', 'c') ORDER BY cartodb_id"), null);
        assertThat(r.headers().firstValue("Content-Type")).contains("text/csv; charset=utf-8; header=present");
        assertThat(r.headers().firstValue("Content-Disposition").orElse("")).startsWith("attachment; filename=my_export.csv;");
        assertThat(r.body()).isEqualTo("the_geom,cartodb_id,name\r\n0101000020E6100000000000000000F03F0000000000000040,1,\"a,\"\"b\"\"\"\r\n,2,c\r\n");
    }

    @Test
    void skipfieldsPaginationAndJsonp() throws Exception {
        JsonNode r = sql.send("SELECT cartodb_id, name, pop FROM places ORDER BY cartodb_id",
                SqlOptions.defaults().withParam("skipfields", "pop,name").withParam("page", "1").withParam("rows_per_page", "1"));
        assertThat(r.get("rows").toString()).isEqualTo("[{\"cartodb_id\":2}]");
        assertThat(r.get("fields").has("pop")).isFalse();
        assertThat(raw(q("SELECT 1 AS a") + "&callback=cb")).startsWith("cb({\"rows\":[{\"a\":1}]");
        assertThat(raw(q("SELECT 1 FROM nope") + "&callback=cb"))
                .isEqualTo("/**/ typeof cb === 'function' && cb({\"error\":[\"relation \\\"nope\\\" does not exist\"]});");
        HttpResponse<String> bad = TesseraHarness.get("/user/" + alice.user().username() + "/api/v2/sql?" + q("SELECT 1") + "&callback=alert(1)", null);
        assertThat(bad.statusCode()).isEqualTo(400);
    }

    @Test
    void errorsHaveCartoShapeAndStatus() throws Exception {
        assertError(() -> sql.send("SELEC 1"), 400, "syntax error at or near \"SELEC\"");
        assertError(() -> sql.send("SELECT * FROM missing_table"), 400, "relation \"missing_table\" does not exist");
        assertError(() -> TesseraHarness.sql(alice, "wrong-key").send("SELECT 1"), 401, "Unauthorized");
        assertError(() -> TesseraHarness.anonymous(alice).send("INSERT INTO places (name) VALUES ('x')"), 403, "permission denied for");
        assertError(() -> TesseraHarness.anonymous(alice).send("SELECT * FROM pg_class"), 403, "system tables are forbidden");
        HttpResponse<String> noQ = TesseraHarness.get("/user/" + alice.user().username() + "/api/v2/sql", null);
        assertThat(noQ.statusCode()).isEqualTo(400);
        assertThat(noQ.body()).isEqualTo("{\"error\":[\"You must indicate a sql query\"]}");
        HttpResponse<String> unknown = TesseraHarness.get("/user/nobody-here/api/v2/sql?q=SELECT%201", null);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("Sorry, we can't find CARTO user 'nobody-here'");
        JsonNode hinted = errorBody(() -> sql.send("SELECT ST_Buffer(1)"));
        assertThat(hinted.has("hint")).isTrue();
    }

    @Test
    void errorAfterRowsStartedIsAppendedWith200() throws Exception {
        String body = raw(q("SELECT 1 / (5000 - g) AS x FROM generate_series(1, 6000) g"));
        JsonNode r = JSON.readTree(body);
        assertThat(r.get("rows").size()).isGreaterThan(0);
        assertThat(r.get("error").get(0).asText()).isEqualTo("division by zero");
        try (SqlRowStream rows = sql.streamRows("SELECT 1 / (5000 - g) AS x FROM generate_series(1, 6000) g")) {
            assertThatThrownBy(() -> {
                while (rows.hasNext()) {
                    rows.next();
                }
                rows.finish();
            }).isInstanceOf(CartoException.class).hasMessageContaining("division by zero");
        }
    }

    @Test
    void timeoutIs429AndTheNextRequestWorks() {
        Accounts.Created slow = TesseraHarness.newUser("slow", 500);
        SqlClient s = TesseraHarness.master(slow);
        for (int i = 0; i < 3; i++) {
            CartoException e = (CartoException) org.assertj.core.api.Assertions.catchThrowable(() -> s.send("SELECT pg_sleep(5)"));
            assertThat(e.status()).isEqualTo(429);
            assertThat(e.errorBody().get("context").asText()).isEqualTo("limit");
            assertThat(s.send("SELECT 42 AS v").get("rows").get(0).get("v").asInt()).isEqualTo(42);
        }
        // SET statement_timeout = 0 cannot outlive the watchdog.
        assertThat(((CartoException) org.assertj.core.api.Assertions.catchThrowable(
                () -> s.send("SET statement_timeout = 0; SELECT pg_sleep(5)"))).status()).isEqualTo(429);
    }

    @Test
    void userFromHostAndBothPathShapes() throws Exception {
        String name = alice.user().username();
        HttpResponse<String> byHost = TesseraHarness.get("/api/v2/sql?q=SELECT%201%20AS%20a&api_key=" + alice.masterKey(), name + ".localhost");
        assertThat(byHost.statusCode()).isEqualTo(200);
        assertThat(byHost.headers().firstValue("Carto-User")).contains(name);
        assertThat(byHost.headers().firstValue("Access-Control-Allow-Origin")).contains("*");
        HttpResponse<String> slash = TesseraHarness.get("/user/" + name + "/api/v1/sql/?q=SELECT%201%20AS%20a", null);
        assertThat(slash.statusCode()).isEqualTo(200);
        HttpRequest post = HttpRequest.newBuilder(URI.create(TesseraHarness.url("/user/" + name + "/api/v2/sql?q=SELECT%201%20AS%20a")))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"q\":\"SELECT 2 AS a\",\"api_key\":\"" + alice.masterKey() + "\"}")).build();
        assertThat(TesseraHarness.send(post).body()).startsWith("{\"rows\":[{\"a\":2}]");
        String basic = java.util.Base64.getEncoder().encodeToString((name + ":" + alice.masterKey()).getBytes(StandardCharsets.UTF_8));
        HttpRequest withBasic = HttpRequest.newBuilder(URI.create(TesseraHarness.url("/user/" + name + "/api/v2/sql?q=SELECT%20current_user%20AS%20u")))
                .header("Authorization", "Basic " + basic).build();
        assertThat(TesseraHarness.send(withBasic).body()).contains(alice.user().ownerRole());
        HttpResponse<String> options = TesseraHarness.send(HttpRequest.newBuilder(URI.create(TesseraHarness.url("/api/v2/sql")))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build());
        assertThat(options.statusCode()).isEqualTo(200);
    }

    private static void assertError(Runnable call, int status, String message) {
        CartoException e = (CartoException) org.assertj.core.api.Assertions.catchThrowable(call::run);
        assertThat(e).as("expected an error").isNotNull();
        assertThat(e.status()).isEqualTo(status);
        assertThat(e.errors()).anySatisfy(m -> assertThat(m).contains(message));
    }

    private static JsonNode errorBody(Runnable call) {
        CartoException e = (CartoException) org.assertj.core.api.Assertions.catchThrowable(call::run);
        return e.errorBody();
    }

    @Test
    void aParameterBodyPastTheLimitIsRefusedWith413() throws Exception {
        String body = "q=" + "x".repeat(9 << 20); // the default limit is 8 MiB
        HttpResponse<String> r = TesseraHarness.send(HttpRequest.newBuilder(URI.create(TesseraHarness.url(
                        "/user/" + alice.user().username() + "/api/v2/sql?api_key=" + alice.masterKey())))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(r.body()).isEqualTo("{\"error\":[\"Request body too large\"]}");
    }
}
