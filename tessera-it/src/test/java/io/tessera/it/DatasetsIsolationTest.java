package io.tessera.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessera.server.auth.Accounts;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tenant isolation of datasets and imports: Alice's master key gets nothing of Bob's, whether it names Bob's
 * datasets under her own user or under his.
 */
class DatasetsIsolationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Accounts.Created alice;
    private static Accounts.Created bob;
    private static String bobViz;
    private static String bobTable;
    private static String bobImport;

    @BeforeAll
    static void setUp() throws Exception {
        alice = TesseraHarness.newUser("isoa");
        bob = TesseraHarness.newUser("isob");
        TesseraHarness.master(bob).send("CREATE TABLE secret (v text); INSERT INTO secret VALUES ('bob only')");
        JsonNode viz = JSON.readTree(TesseraHarness.get("/user/" + bob.user().username() + "/api/v1/viz/secret?api_key="
                + bob.masterKey(), null).body());
        bobViz = viz.get("id").asText();
        bobTable = viz.get("table").get("id").asText();
        HttpResponse<String> imp = TesseraHarness.send(HttpRequest.newBuilder(URI.create(TesseraHarness.url(
                "/user/" + bob.user().username() + "/api/v1/imports/?api_key=" + bob.masterKey())))
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        bobImport = JSON.readTree(imp.body()).get("item_queue_id").asText();
    }

    private static HttpResponse<String> as(String method, String user, String path) throws Exception {
        String sep = path.contains("?") ? "&" : "?";
        return TesseraHarness.send(HttpRequest.newBuilder(URI.create(TesseraHarness.url("/user/" + user + path + sep
                + "api_key=" + alice.masterKey()))).method(method, HttpRequest.BodyPublishers.noBody()).build());
    }

    @Test
    void alicesKeyUnderHerOwnUserFindsNothingOfBobs() throws Exception {
        String a = alice.user().username();
        assertThat(as("GET", a, "/api/v1/viz/" + bobViz).statusCode()).isEqualTo(404);
        assertThat(as("GET", a, "/api/v1/viz/secret").statusCode()).isEqualTo(404);
        assertThat(as("GET", a, "/api/v1/tables/" + bobTable).statusCode()).isEqualTo(404);
        assertThat(as("DELETE", a, "/api/v1/viz/" + bobViz).statusCode()).isEqualTo(404);
        assertThat(as("GET", a, "/api/v1/imports/" + bobImport).statusCode()).isEqualTo(404);
        assertThat(as("GET", a, "/api/v1/viz?type=table").body()).doesNotContain(bobViz).doesNotContain("secret");
    }

    @Test
    void alicesKeyUnderBobsUserIsAnonymousOrRefused() throws Exception {
        String b = bob.user().username();
        // viz reads: not Bob's master key, so an anonymous viewer, who sees no private dataset
        assertThat(as("GET", b, "/api/v1/viz/" + bobViz).statusCode()).isEqualTo(404);
        assertThat(as("GET", b, "/api/v1/viz?type=table").body()).doesNotContain(bobViz);
        // master-key endpoints: 401
        assertThat(as("DELETE", b, "/api/v1/viz/" + bobViz).statusCode()).isEqualTo(401);
        assertThat(as("GET", b, "/api/v1/tables/" + bobTable).statusCode()).isEqualTo(401);
        assertThat(as("GET", b, "/api/v1/imports/" + bobImport).statusCode()).isEqualTo(401);
        assertThat(as("POST", b, "/api/v1/imports/").statusCode()).isEqualTo(401);
        assertThat(TesseraHarness.master(bob).send("SELECT v FROM secret").get("rows").get(0).get("v").asText()).isEqualTo("bob only");
    }
}
