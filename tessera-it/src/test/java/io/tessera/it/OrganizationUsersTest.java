package io.tessera.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessera.server.auth.Accounts;
import io.tessera.server.orgs.Organizations;
import io.tessera.server.testing.TestPostgis;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** EUMAPI: an org admin's master key manages the organization's users, with CARTO's bare-string answers. */
class OrganizationUsersTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Accounts.Created admin;
    private static Accounts.Created member;
    private static String org;

    @BeforeAll
    static void setUp() throws Exception {
        admin = TesseraHarness.newUser("orgadmin");
        member = TesseraHarness.newUser("orgmember");
        Organizations orgs = new Organizations(TestPostgis.platform().admin(), TestPostgis.platform().accounts());
        org = admin.user().username() + "-org";
        Organizations.Organization o = orgs.create(org, admin.user().username());
        orgs.join(o, member.user(), false);
    }

    private static String users(Accounts.Created as) {
        return TesseraHarness.url("/user/" + as.user().username() + "/api/v1/organization/" + org + "/users");
    }

    private static HttpResponse<String> call(String method, String url, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        b.header("Content-Type", "application/json");
        b.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        return TesseraHarness.send(b.build());
    }

    @Test
    void adminCreatesReadsUpdatesAndDeletesAUser() throws Exception {
        String name = admin.user().username() + "-new";
        HttpResponse<String> created = call("POST", users(admin), "{\"username\":\"" + name + "\",\"email\":\"n@example.com\","
                + "\"password\":\"pw_123456\",\"api_key\":\"" + admin.masterKey() + "\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        JsonNode poro = JSON.readTree(created.body());
        assertThat(poro.has("id")).isFalse();
        assertThat(poro.get("username").asText()).isEqualTo(name);
        assertThat(poro.get("org_user").asBoolean()).isTrue();
        assertThat(poro.get("api_key").asText()).hasSize(40);
        // the new user's key works at once
        HttpResponse<String> sql = TesseraHarness.get("/user/" + name + "/api/v2/sql?q=SELECT%201%20AS%20x&api_key="
                + poro.get("api_key").asText(), null);
        assertThat(sql.statusCode()).isEqualTo(200);

        String one = users(admin) + "/" + name + "?api_key=" + admin.masterKey();
        assertThat(JSON.readTree(call("GET", one, null).body()).get("email").asText()).isEqualTo("n@example.com");

        HttpResponse<String> updated = call("PUT", users(admin) + "/" + name, "{\"email\":\"m@example.com\",\"username\":\"" + name
                + "\",\"table_count\":0,\"api_key\":\"" + admin.masterKey() + "\"}");
        assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);
        assertThat(JSON.readTree(call("GET", one, null).body()).get("email").asText()).isEqualTo("m@example.com");
        HttpResponse<String> empty = call("PUT", users(admin) + "/" + name, "{\"api_key\":\"" + admin.masterKey() + "\"}");
        assertThat(empty.statusCode()).isEqualTo(410);
        assertThat(empty.body()).isEqualTo("No update params provided");

        HttpResponse<String> deleted = call("DELETE", one, null);
        assertThat(deleted.statusCode()).isEqualTo(204);
        HttpResponse<String> gone = call("GET", one, null);
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(gone.body()).isEqualTo("No user with username '" + name + "' in '" + org + "'");
    }

    @Test
    void validationFailuresAre410WithAList() throws Exception {
        HttpResponse<String> r = call("POST", users(admin), "{\"username\":\"" + admin.user().username() + "-bad\","
                + "\"api_key\":\"" + admin.masterKey() + "\"}");
        assertThat(r.statusCode()).isEqualTo(410);
        assertThat(r.body()).isEqualTo("[\"email is not present\"]");
        HttpResponse<String> taken = call("POST", users(admin), "{\"username\":\"" + member.user().username()
                + "\",\"email\":\"x@example.com\",\"api_key\":\"" + admin.masterKey() + "\"}");
        assertThat(taken.statusCode()).isEqualTo(410);
        assertThat(taken.body()).contains("already exists");
    }

    @Test
    void onlyAnOrgAdminsMasterKeyIsAccepted() throws Exception {
        HttpResponse<String> asMember = call("GET", users(member) + "/" + admin.user().username() + "?api_key=" + member.masterKey(), null);
        assertThat(asMember.statusCode()).isEqualTo(401);
        assertThat(asMember.body()).isEqualTo("{}");
        HttpResponse<String> publicKey = call("GET", users(admin) + "/" + member.user().username() + "?api_key=default_public", null);
        assertThat(publicKey.statusCode()).isEqualTo(401);
        HttpResponse<String> otherOrg = call("GET", TesseraHarness.url("/user/" + admin.user().username()
                + "/api/v1/organization/no-such-org/users/" + member.user().username() + "?api_key=" + admin.masterKey()), null);
        assertThat(otherOrg.statusCode()).isEqualTo(401);
        assertThat(otherOrg.body()).isEqualTo("{}");
    }

    @Test
    void theOwnerCannotBeDeleted() throws Exception {
        HttpResponse<String> r = call("DELETE", users(admin) + "/" + admin.user().username() + "?api_key=" + admin.masterKey(), null);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).isEqualTo("Can't delete org owner");
        HttpResponse<String> still = call("GET", users(admin) + "/" + member.user().username() + "?api_key=" + admin.masterKey(), null);
        assertThat(still.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(still.body()).get("role_display").asText()).isEqualTo("builder");
    }
}
