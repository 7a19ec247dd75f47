package io.tessera.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tessera.client.CartoException;
import io.tessera.client.sql.SqlClient;
import io.tessera.server.auth.Accounts;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** /api/v1/viz and /api/v1/tables: privacy by GRANTs, reconciliation with SQL, change stamps. */
class DatasetsApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Accounts.Created alice;
    private static SqlClient sql;

    @BeforeAll
    static void setUp() {
        alice = TesseraHarness.newUser("viz");
        sql = TesseraHarness.master(alice);
    }

    private static String path(String p) {
        return "/user/" + alice.user().username() + p + (p.contains("?") ? "&" : "?") + "api_key=" + alice.masterKey();
    }

    private static JsonNode getJson(String p) throws Exception {
        HttpResponse<String> r = TesseraHarness.get(path(p), null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static HttpResponse<String> put(String id, ObjectNode body) throws Exception {
        return TesseraHarness.send(HttpRequest.newBuilder(URI.create(TesseraHarness.url(path("/api/v1/viz/" + id))))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body.toString())).build());
    }

    private static boolean anonymousCanRead(String table) {
        try {
            TesseraHarness.anonymous(alice).send("SELECT count(*) FROM " + table);
            return true;
        } catch (CartoException e) {
            assertThat(e.status()).isEqualTo(403);
            return false;
        }
    }

    @Test
    void privacyCyclesThroughGrants() throws Exception {
        sql.send("CREATE TABLE cycle (name text); INSERT INTO cycle VALUES ('x'); SELECT CDB_CartodbfyTable('public', 'cycle')");
        JsonNode viz = getJson("/api/v1/viz/cycle?type=table");
        String id = viz.get("id").asText();
        assertThat(viz.get("privacy").asText()).isEqualTo("PRIVATE");
        assertThat(anonymousCanRead("cycle")).isFalse();
        String[] steps = {"PUBLIC", "link", "Private"};
        boolean[] readable = {true, true, false};
        for (int i = 0; i < steps.length; i++) {
            ObjectNode body = (ObjectNode) viz.deepCopy();
            body.put("privacy", steps[i]);
            HttpResponse<String> r = put(id, body);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(JSON.readTree(r.body()).get("privacy").asText()).isEqualTo(steps[i].toUpperCase());
            assertThat(anonymousCanRead("cycle")).as(steps[i]).isEqualTo(readable[i]);
        }
    }

    @Test
    void anonymousSeesOnlyPublicDatasets() throws Exception {
        sql.send("CREATE TABLE seen_pub (a int); CREATE TABLE seen_priv (a int)");
        JsonNode pub = getJson("/api/v1/viz/seen_pub");
        ObjectNode body = (ObjectNode) pub.deepCopy();
        body.put("privacy", "public");
        assertThat(put(pub.get("id").asText(), body).statusCode()).isEqualTo(200);
        HttpResponse<String> r = TesseraHarness.get("/user/" + alice.user().username() + "/api/v1/viz?type=table", null);
        JsonNode list = JSON.readTree(r.body());
        assertThat(list.get("visualizations").findValuesAsText("name")).contains("seen_pub").doesNotContain("seen_priv");
        assertThat(list.has("total_user_entries")).isFalse();
    }

    @Test
    void sqlCreatedAndDroppedTablesAreReconciledOnRead() throws Exception {
        sql.send("CREATE TABLE by_sql (v int)");
        JsonNode list = getJson("/api/v1/viz?type=table&exclude_shared=true&with_dependent_visualizations=1&per_page=100");
        assertThat(list.get("visualizations").findValuesAsText("name")).contains("by_sql");
        JsonNode item = null;
        for (JsonNode v : list.get("visualizations")) {
            if (v.get("name").asText().equals("by_sql")) {
                item = v;
            }
        }
        assertThat(item.get("dependent_visualizations_count").asInt()).isZero();
        assertThat(item.get("table").get("id").asText()).isNotEmpty();
        sql.send("ALTER TABLE by_sql RENAME TO by_sql_renamed");
        JsonNode renamed = getJson("/api/v1/viz/by_sql_renamed");
        assertThat(renamed.get("id").asText()).isEqualTo(item.get("id").asText());
        sql.send("DROP TABLE by_sql_renamed");
        list = getJson("/api/v1/viz?type=table&per_page=100");
        assertThat(list.get("visualizations").findValuesAsText("name")).doesNotContain("by_sql", "by_sql_renamed");
        assertThat(TesseraHarness.get(path("/api/v1/viz/by_sql_renamed"), null).statusCode()).isEqualTo(404);
    }

    @Test
    void writesThroughSqlMoveUpdatedAt() throws Exception {
        sql.send("CREATE TABLE stamped (v int); SELECT CDB_CartodbfyTable('public', 'stamped')");
        OffsetDateTime before = OffsetDateTime.parse(getJson("/api/v1/viz/stamped").get("updated_at").asText());
        sql.send("INSERT INTO stamped (v) VALUES (1)");
        OffsetDateTime after = OffsetDateTime.parse(getJson("/api/v1/viz/stamped").get("updated_at").asText());
        assertThat(after).isAfter(before);
    }

    @Test
    void tablesEndpointRenameAndDelete() throws Exception {
        sql.send("CREATE TABLE tbl (name text, n int, at date); "
                + "INSERT INTO tbl VALUES ('a', 1, now()); SELECT CDB_CartodbfyTable('public', 'tbl');"
                + "UPDATE tbl SET the_geom = ST_SetSRID(ST_MakePoint(1, 2), 4326)");
        JsonNode viz = getJson("/api/v1/viz/tbl");
        JsonNode table = getJson("/api/v1/tables/" + viz.get("table").get("id").asText());
        assertThat(table.get("table_visualization").get("id").asText()).isEqualTo(viz.get("id").asText());
        assertThat(table.get("schema").toString())
                .isEqualTo("[[\"cartodb_id\",\"number\"],[\"the_geom\",\"geometry\",\"geometry\",\"geometry\"],"
                        + "[\"at\",\"date\"],[\"n\",\"number\"],[\"name\",\"string\"]]");
        assertThat(table.get("geometry_types").toString()).isEqualTo("[\"ST_Point\"]");
        assertThat(table.get("rows_counted").asLong()).isEqualTo(1);

        ObjectNode body = (ObjectNode) viz.deepCopy();
        body.put("name", "Tbl Renamed");
        body.put("description", "desc");
        HttpResponse<String> r = put(viz.get("id").asText(), body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(sql.send("SELECT count(*) AS n FROM tbl_renamed").get("rows").get(0).get("n").asInt()).isEqualTo(1);
        assertThat(getJson("/api/v1/viz/tbl_renamed").get("description").asText()).isEqualTo("desc");

        body.put("id", "00000000-0000-0000-0000-000000000000");
        assertThat(put(viz.get("id").asText(), body).statusCode()).isEqualTo(403);

        HttpResponse<String> del = TesseraHarness.send(HttpRequest.newBuilder(
                URI.create(TesseraHarness.url(path("/api/v1/viz/" + viz.get("id").asText())))).DELETE().build());
        assertThat(del.statusCode()).isEqualTo(204);
        assertThatThrownBy(() -> sql.send("SELECT 1 FROM tbl_renamed")).isInstanceOf(CartoException.class);
        assertThat(TesseraHarness.get(path("/api/v1/viz/" + viz.get("id").asText()), null).statusCode()).isEqualTo(404);
    }

    @Test
    void masterKeyRequiredForWrites() throws Exception {
        sql.send("CREATE TABLE guarded (v int)");
        String id = getJson("/api/v1/viz/guarded").get("id").asText();
        HttpResponse<String> r = TesseraHarness.send(HttpRequest.newBuilder(URI.create(TesseraHarness.url(
                "/user/" + alice.user().username() + "/api/v1/viz/" + id))).DELETE().build());
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).isEmpty();
        assertThat(TesseraHarness.get("/user/" + alice.user().username() + "/api/v1/tables/guarded", null).statusCode())
                .isEqualTo(401);
    }
}
