package io.tessera.client.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.client.SdkVersion;
import io.tessera.client.auth.ApiKeyAuthClient;
import io.tessera.client.http.BodyText;
import io.tessera.client.http.Param;
import io.tessera.client.http.QueryParams;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.Test;

/** The requests {@link SqlClient} builds, as carto-python's {@code SQLClient.send}; nothing is sent. */
class SqlClientRequestTest {

    private final ApiKeyAuthClient auth = new ApiKeyAuthClient("http://127.0.0.1:8080/user/alice/", "k");
    private final SqlClient sql = new SqlClient(auth);
    private final Param key = new Param("api_key", "k");
    private final Param client = new Param("client", SdkVersion.clientId());

    @Test
    void defaultIsAFormPostOfQ() {
        HttpRequest r = auth.buildRequest(sql.request("SELECT 1", SqlOptions.defaults()));
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.uri().getPath()).isEqualTo("/user/alice/api/v2/sql");
        assertThat(QueryParams.of(r.uri())).containsExactly(key, client);
        assertThat(QueryParams.parse(BodyText.of(r))).containsExactly(new Param("q", "SELECT 1"));
    }

    @Test
    void formatAndExtrasFollowQInTheBody() {
        SqlOptions o = SqlOptions.defaults().withFormat("CSV").withParam("skipfields", "the_geom")
                .withParam("filename", "out");
        HttpRequest r = auth.buildRequest(sql.request("SELECT 1", o));
        assertThat(QueryParams.parse(BodyText.of(r))).containsExactly(new Param("q", "SELECT 1"),
                new Param("format", "csv"), new Param("skipfields", "the_geom"), new Param("filename", "out"));
    }

    @Test
    void getOnlyWhenAskedAndShort() {
        SqlOptions get = SqlOptions.defaults().withDoPost(false).withParam("dp", "4");
        HttpRequest r = auth.buildRequest(sql.request("SELECT 1", get));
        assertThat(r.method()).isEqualTo("GET");
        assertThat(QueryParams.of(r.uri())).containsExactly(new Param("q", "SELECT 1"), new Param("dp", "4"), key,
                client);

        String limit = "SELECT '" + "x".repeat(1014) + "'";
        assertThat(limit).hasSize(1023);
        assertThat(auth.buildRequest(sql.request(limit, get)).method()).isEqualTo("GET");
        assertThat(auth.buildRequest(sql.request(limit + " ", get)).method()).as("1024 chars: POST")
                .isEqualTo("POST");
    }

    @Test
    void lengthCountsCodePointsAsPythonDoes() {
        // 1023 code points but 2046 UTF-16 units: still short enough for GET.
        String emoji = "\uD83D\uDE00".repeat(1023);
        assertThat(auth.buildRequest(sql.request(emoji, SqlOptions.defaults().withDoPost(false))).method())
                .isEqualTo("GET");
    }

    @Test
    void apiVersionChangesThePath() {
        assertThat(auth.buildRequest(new SqlClient(auth, "v1").request("SELECT 1", SqlOptions.defaults())).uri()
                .getPath()).isEqualTo("/user/alice/api/v1/sql");
    }

    @Test
    void nonJsonFormatsAreRefusedBySendAndStreamRows() {
        assertThatThrownBy(() -> sql.send("SELECT 1", SqlOptions.defaults().withFormat("csv")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sendBytes");
        assertThatThrownBy(() -> sql.streamRows("SELECT 1", SqlOptions.defaults().withFormat("geojson")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void optionsAreImmutable() {
        SqlOptions base = SqlOptions.defaults();
        base.withParam("a", "b").withFormat("json");
        assertThat(base.params()).isEmpty();
        assertThat(base.format()).isNull();
        assertThat(base.doPost()).isTrue();
        assertThat(SqlOptions.defaults().withFormat("geojson").isJsonFormat()).isTrue();
        assertThat(SqlOptions.defaults().withFormat("gpkg").isJsonFormat()).isFalse();
    }
}
