package io.tessera.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessera.server.auth.Accounts;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Auth API ({@code /api/v3/api_keys}): regular keys are their own roles holding exactly their grants. */
class ApiKeysTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Accounts.Created owner;
    private static Accounts.Created other;

    @BeforeAll
    static void setUp() {
        owner = TesseraHarness.newUser("keys");
        other = TesseraHarness.newUser("keysother");
        TesseraHarness.master(owner).send("CREATE TABLE granted (cartodb_id serial PRIMARY KEY, name text);"
                + "INSERT INTO granted (name) VALUES ('a');"
                + "CREATE TABLE secret (cartodb_id serial PRIMARY KEY, name text); INSERT INTO secret (name) VALUES ('s');"
                + "CREATE TABLE shared (id int); INSERT INTO shared VALUES (7);");
        TesseraHarness.master(owner).send("GRANT SELECT ON shared TO \"" + owner.user().publicRole() + "\"");
        TesseraHarness.master(other).send("CREATE TABLE theirs (id int)");
    }

    private static String base(Accounts.Created u) {
        return TesseraHarness.url("/user/" + u.user().username());
    }

    private static HttpResponse<String> call(String method, String url, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        if (body != null) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return TesseraHarness.send(b.build());
    }

    private static HttpResponse<String> createKey(String name, String grants) throws Exception {
        return call("POST", base(owner) + "/api/v3/api_keys", "{\"name\":\"" + name + "\",\"grants\":" + grants
                + ",\"api_key\":\"" + owner.masterKey() + "\",\"client\":\"test\"}");
    }

    private static HttpResponse<String> sql(String token, String q) throws Exception {
        return call("GET", base(owner) + "/api/v2/sql?api_key=" + URLEncoder.encode(token, StandardCharsets.UTF_8)
                + "&q=" + URLEncoder.encode(q, StandardCharsets.UTF_8), null);
    }

    private static final String SELECT_GRANTED = "[{\"type\":\"apis\",\"apis\":[\"sql\",\"maps\"]},"
            + "{\"type\":\"database\",\"tables\":[{\"schema\":\"%s\",\"name\":\"granted\",\"permissions\":[%s]}]}]";

    private static String grants(String permissions) {
        return SELECT_GRANTED.formatted(owner.user().username(), permissions);
    }

    @Test
    void regularKeyReadsExactlyWhatItWasGranted() throws Exception {
        HttpResponse<String> created = createKey("reader", grants("\"select\""));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode key = JSON.readTree(created.body());
        assertThat(key.has("id")).isFalse();
        assertThat(key.get("type").asText()).isEqualTo("regular");
        assertThat(key.get("user").get("username").asText()).isEqualTo(owner.user().username());
        assertThat(key.get("created_at").asText()).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC");
        String token = key.get("token").asText();
        assertThat(token).hasSize(22);
        assertThat(key.get("grants").get(0).toString()).isEqualTo("{\"type\":\"apis\",\"apis\":[\"sql\",\"maps\"]}");
        assertThat(key.get("grants").get(1).get("tables").toString()).isEqualTo("[{\"schema\":\""
                + owner.user().username() + "\",\"name\":\"granted\",\"owner\":false,\"permissions\":[\"select\"]}]");

        assertThat(sql(token, "SELECT name FROM granted").statusCode()).isEqualTo(200);
        assertThat(sql(token, "SELECT id FROM shared").body()).contains("\"id\":7"); // inherits default_public's reads
        HttpResponse<String> denied = sql(token, "SELECT * FROM secret");
        assertThat(denied.statusCode()).isEqualTo(403);
        assertThat(denied.body()).contains("permission denied");
        assertThat(sql(token, "INSERT INTO granted (name) VALUES ('no')").statusCode()).isEqualTo(403);
        assertThat(sql(token, "SELECT session_user").body()).contains("tessera_k_");
    }

    @Test
    void insertGrantCoversTheSerialSequence() throws Exception {
        JsonNode key = JSON.readTree(createKey("writer", grants("\"insert\",\"select\",\"update\"")).body());
        assertThat(key.get("grants").get(1).get("tables").get(0).get("permissions").toString())
                .isEqualTo("[\"insert\",\"select\",\"update\"]");
        HttpResponse<String> r = sql(key.get("token").asText(), "INSERT INTO granted (name) VALUES ('w') RETURNING cartodb_id");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(sql(key.get("token").asText(), "DELETE FROM granted").statusCode()).isEqualTo(403);
    }

    @Test
    void listingShowsAllKeysToMasterAndOnlyItselfToOthers() throws Exception {
        createKey("listed", grants("\"select\""));
        JsonNode all = JSON.readTree(call("GET", base(owner) + "/api/v3/api_keys?api_key=" + owner.masterKey(), null).body());
        List<String> types = new ArrayList<>();
        all.get("result").forEach(k -> types.add(k.get("type").asText()));
        assertThat(types.subList(0, 2)).containsExactly("master", "default");
        assertThat(types).contains("regular");
        assertThat(all.get("total").asInt()).isEqualTo(types.size());
        assertThat(all.get("result").get(0).get("_links").get("self").get("href").asText()).endsWith("/api/v3/api_keys/Master");

        JsonNode pub = JSON.readTree(call("GET", base(owner) + "/api/v3/api_keys?api_key=default_public", null).body());
        assertThat(pub.get("count").asInt()).isEqualTo(1);
        assertThat(pub.get("result").get(0).get("name").asText()).isEqualTo("Default public");
        assertThat(pub.get("result").get(0).get("token").asText()).isEqualTo("default_public");

        HttpResponse<String> paged = call("GET", base(owner) + "/api/v3/api_keys?per_page=1&page=2&api_key=" + owner.masterKey(), null);
        JsonNode p = JSON.readTree(paged.body());
        assertThat(p.get("count").asInt()).isEqualTo(1);
        assertThat(p.get("result").get(0).get("name").asText()).isEqualTo("Default public");
        assertThat(p.get("_links").has("prev")).isTrue();
        assertThat(call("GET", base(owner) + "/api/v3/api_keys?type=wadus&api_key=" + owner.masterKey(), null).statusCode()).isEqualTo(400);
    }

    @Test
    void creationErrorsUseCartosExactTexts() throws Exception {
        createKey("dup", grants("\"select\""));
        HttpResponse<String> dup = createKey("dup", grants("\"select\""));
        assertThat(dup.statusCode()).isEqualTo(422);
        assertThat(dup.body()).isEqualTo("{\"errors\":\"Validation failed: Name has already been taken\",\"errors_cause\":null}");
        assertThat(createKey("Master", grants("\"select\"")).body()).contains("api_key name cannot be Master nor Default public");
        assertThat(createKey("x1", "{}").body()).contains("grants has to be an array");
        assertThat(createKey("x2", grants("\"drop\"")).body())
                .contains("did not match one of the following values: insert, select, update, delete");
        HttpResponse<String> foreign = createKey("x3", "[{\"type\":\"apis\",\"apis\":[\"sql\"]},{\"type\":\"database\",\"tables\":"
                + "[{\"schema\":\"" + other.user().username() + "\",\"name\":\"theirs\",\"permissions\":[\"select\"]}]}]");
        assertThat(foreign.statusCode()).isEqualTo(422);
        assertThat(foreign.body()).contains("can only grant table permissions you have");
        // a failed creation leaves no key behind
        assertThat(call("GET", base(owner) + "/api/v3/api_keys/x3?api_key=" + owner.masterKey(), null).statusCode()).isEqualTo(404);
    }

    @Test
    void onlyTheMasterKeyChangesKeys() throws Exception {
        HttpResponse<String> r = call("POST", base(owner) + "/api/v3/api_keys",
                "{\"name\":\"sneaky\",\"grants\":" + grants("\"select\"") + ",\"api_key\":\"default_public\"}");
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).isEmpty();
        HttpResponse<String> master = call("DELETE", base(owner) + "/api/v3/api_keys/Master?api_key=" + owner.masterKey(), null);
        assertThat(master.statusCode()).isEqualTo(403);
        assertThat(master.body()).contains("You don't have permission to access that resource");
        HttpResponse<String> missing = call("GET", base(owner) + "/api/v3/api_keys/nope?api_key=" + owner.masterKey(), null);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).isEqualTo("{\"errors\":\"API key not found: nope\",\"errors_cause\":null}");
    }

    @Test
    void regenerateAndDeleteTakeEffectAtOnce() throws Exception {
        String old = JSON.readTree(createKey("rotating", grants("\"select\"")).body()).get("token").asText();
        HttpResponse<String> regen = call("POST", base(owner) + "/api/v3/api_keys/rotating/token/regenerate?api_key=" + owner.masterKey(), null);
        assertThat(regen.statusCode()).isEqualTo(200);
        String fresh = JSON.readTree(regen.body()).get("token").asText();
        assertThat(fresh).isNotEqualTo(old);
        assertThat(sql(old, "SELECT 1").statusCode()).isEqualTo(401);
        assertThat(sql(fresh, "SELECT name FROM granted").statusCode()).isEqualTo(200);
        String role = JSON.readTree(sql(fresh, "SELECT session_user AS r").body()).get("rows").get(0).get("r").asText();

        assertThat(call("DELETE", base(owner) + "/api/v3/api_keys/rotating?api_key=" + owner.masterKey(), null).statusCode()).isEqualTo(204);
        assertThat(sql(fresh, "SELECT 1").statusCode()).isEqualTo(401);
        String left = sql(owner.masterKey(), "SELECT count(*) AS n FROM pg_roles WHERE rolname = '" + role + "'").body();
        assertThat(left).contains("\"n\":0");
    }

    @Test
    void aKeyWithoutTheSqlGrantCannotUseTheSqlApi() throws Exception {
        String token = JSON.readTree(createKey("mapsonly", "[{\"type\":\"apis\",\"apis\":[\"maps\"]}]").body()).get("token").asText();
        HttpResponse<String> r = sql(token, "SELECT 1");
        assertThat(r.statusCode()).isEqualTo(403);
        HttpResponse<String> copy = call("GET", base(owner) + "/api/v2/sql/copyto?api_key=" + token + "&q="
                + URLEncoder.encode("COPY (SELECT 1) TO STDOUT", StandardCharsets.UTF_8), null);
        assertThat(copy.statusCode()).isEqualTo(403);
    }
}
