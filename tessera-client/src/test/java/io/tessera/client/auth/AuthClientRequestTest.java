package io.tessera.client.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tessera.client.CartoException;
import io.tessera.client.Json;
import io.tessera.client.SdkVersion;
import io.tessera.client.http.ApiRequest;
import io.tessera.client.http.BodyText;
import io.tessera.client.http.Param;
import io.tessera.client.http.QueryParams;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Where credentials go, read off the built {@link HttpRequest}; nothing is sent. */
class AuthClientRequestTest {

    private static final String BASE = "https://org.example.com/user/alice";
    private final ApiKeyAuthClient client = new ApiKeyAuthClient(BASE, "secret-key");
    private final Param apiKey = new Param("api_key", "secret-key");
    private final Param clientId = new Param("client", SdkVersion.clientId());

    @Test
    void baseUrlGetsItsSlashAndNamesTheUser() {
        assertThat(client.baseUrl()).isEqualTo(BASE + "/");
        assertThat(client.username()).isEqualTo("alice");
        assertThat(client.organization()).isEmpty();
        assertThat(new ApiKeyAuthClient(BASE, "k", "acme").organization()).contains("acme");
    }

    @Test
    void relativePathsStayUnderTheUserAndLeadingSlashEscapesIt() {
        assertThat(client.buildRequest(ApiRequest.get("api/v2/sql")).uri().getPath())
                .isEqualTo("/user/alice/api/v2/sql");
        assertThat(client.buildRequest(ApiRequest.get("/api/v3/me")).uri().getPath()).isEqualTo("/api/v3/me");
    }

    @Test
    void getCarriesKeyAndClientInTheQuery() {
        HttpRequest r = client.buildRequest(ApiRequest.get("api/v2/sql").withQuery("q", "SELECT 1"));
        assertThat(r.method()).isEqualTo("GET");
        assertThat(QueryParams.of(r.uri())).containsExactly(new Param("q", "SELECT 1"), apiKey, clientId);
        assertThat(r.headers().firstValue("User-Agent")).contains("tessera-java-sdk/" + SdkVersion.VERSION);
    }

    @Test
    void formPostCarriesKeyInTheQueryNotTheBody() {
        HttpRequest r = client.buildRequest(ApiRequest.post("api/v2/sql")
                .withForm(List.of(new Param("q", "SELECT 'a&b'"))));
        assertThat(QueryParams.of(r.uri())).containsExactly(apiKey, clientId);
        assertThat(r.headers().firstValue("Content-Type")).contains("application/x-www-form-urlencoded");
        assertThat(QueryParams.parse(BodyText.of(r))).containsExactly(new Param("q", "SELECT 'a&b'"));
    }

    @Test
    void jsonPostAndPutCarryKeyInTheBody() throws Exception {
        ObjectNode job = Json.mapper().createObjectNode().put("query", "SELECT 1");
        for (ApiRequest req : List.of(ApiRequest.post("api/v2/sql/job/"), ApiRequest.put("api/v2/sql/job/x"))) {
            HttpRequest r = client.buildRequest(req.withJson(job));
            assertThat(r.uri().getRawQuery()).isNull();
            assertThat(r.headers().firstValue("Content-Type")).contains("application/json");
            JsonNode body = Json.mapper().readTree(BodyText.of(r));
            assertThat(body.get("query").asText()).isEqualTo("SELECT 1");
            assertThat(body.get("api_key").asText()).isEqualTo("secret-key");
            assertThat(body.get("client").asText()).isEqualTo(SdkVersion.clientId());
        }
        assertThat(job.has("api_key")).as("the caller's document is not modified").isFalse();
    }

    @Test
    void jsonBodyOnOtherMethodsOrNotAnObjectFallsBackToTheQuery() {
        HttpRequest delete = client.buildRequest(ApiRequest.delete("x")
                .withJson(Json.mapper().createObjectNode()));
        assertThat(QueryParams.of(delete.uri())).containsExactly(apiKey, clientId);
        HttpRequest array = client.buildRequest(ApiRequest.post("x").withJson(Json.mapper().createArrayNode()));
        assertThat(QueryParams.of(array.uri())).containsExactly(apiKey, clientId);
        assertThat(BodyText.of(array)).isEqualTo("[]");
    }

    @Test
    void rawBodyKeepsKeyInTheQuery() {
        HttpRequest r = client.buildRequest(ApiRequest.post("api/v2/sql/copyfrom").withQuery("q", "COPY t FROM stdin")
                .withBody("application/octet-stream", () -> BodyPublishers.ofString("1\n")));
        assertThat(QueryParams.of(r.uri())).containsExactly(new Param("q", "COPY t FROM stdin"), apiKey, clientId);
        assertThat(r.headers().firstValue("Content-Type")).contains("application/octet-stream");
    }

    @Test
    void callersOwnKeyIsReplacedNotDuplicated() {
        HttpRequest r = client.buildRequest(ApiRequest.get("x").withQuery("api_key", "other"));
        assertThat(QueryParams.of(r.uri())).containsExactly(apiKey, clientId);
    }

    @Test
    void noAuthClientSendsNoCredentials() {
        NoAuthClient anon = new NoAuthClient("http://localhost:8080/");
        assertThat(anon.username()).isEmpty();
        HttpRequest r = anon.buildRequest(ApiRequest.post("api/v1/map/").withJson(Json.mapper().createObjectNode()));
        assertThat(r.uri().toString()).isEqualTo("http://localhost:8080/api/v1/map/");
        assertThat(BodyText.of(r)).isEqualTo("{}");
        assertThat(r.headers().firstValue("User-Agent")).contains(SdkVersion.userAgent());
    }

    @Test
    void nonVerifiedClientPlacesCredentialsTheSameWay() {
        var nv = new NonVerifiedApiKeyAuthClient("https://bob.example.com", "k2");
        assertThat(nv.username()).isEqualTo("bob");
        assertThat(QueryParams.of(nv.buildRequest(ApiRequest.get("api/v2/sql")).uri()))
                .containsExactly(new Param("api_key", "k2"), clientId);
    }

    @Test
    void apiKeyClientNeedsAUserName() {
        assertThatThrownBy(() -> new ApiKeyAuthClient("http://localhost:8080/", "k"))
                .isInstanceOf(CartoException.class);
    }

    @Test
    void keyIsNeverInToString() {
        assertThat(client.toString()).doesNotContain("secret-key").contains("alice");
    }
}
