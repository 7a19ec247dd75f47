package io.tessera.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpHeaders;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ErrorBodiesTest {

    private static final HttpHeaders NONE = headers(Map.of());

    @Test
    void errorListGivesOneMessagePerElement() {
        CartoException e = ErrorBodies.toException(400, NONE, "{\"error\":[\"relation \\\"x\\\" does not exist\"]}");
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.errors()).containsExactly("relation \"x\" does not exist");
        assertThat(e.getMessage()).isEqualTo("relation \"x\" does not exist");
    }

    @Test
    void severalErrorsAreKeptInOrder() {
        CartoException e = ErrorBodies.toException(400, NONE, "{\"error\":[\"a\",\"b\"]}");
        assertThat(e.errors()).containsExactly("a", "b");
        assertThat(e.getMessage()).isEqualTo("a; b");
    }

    @Test
    void errorStringIsOneMessage() {
        assertThat(ErrorBodies.parse("{\"error\":\"Unauthorized\"}")).containsExactly("Unauthorized");
    }

    @Test
    void errorsMemberIsReadWhenErrorIsAbsent() {
        assertThat(ErrorBodies.parse("{\"errors\":[\"Validation failed: Name has already been taken\"]}"))
                .containsExactly("Validation failed: Name has already been taken");
        assertThat(ErrorBodies.parse("{\"errors\":\"bad\"}")).containsExactly("bad");
    }

    @Test
    void errorTakesPrecedenceOverErrors() {
        assertThat(ErrorBodies.parse("{\"errors\":[\"second\"],\"error\":[\"first\"]}")).containsExactly("first");
    }

    @Test
    void nonStringElementsAreKeptAsJsonText() {
        assertThat(ErrorBodies.parse("{\"errors\":[{\"code\":1}]}")).containsExactly("{\"code\":1}");
    }

    @Test
    void bodyTextIsTheMessageWhenNotJson() {
        assertThat(ErrorBodies.parse("<html>Cannot GET /api/v2/nope</html>\n"))
                .containsExactly("<html>Cannot GET /api/v2/nope</html>");
    }

    @Test
    void bodyTextIsTheMessageForJsonWithoutErrorKeys() {
        assertThat(ErrorBodies.parse("\"User deleted\"")).containsExactly("\"User deleted\"");
        assertThat(ErrorBodies.parse("{\"error\":null,\"x\":1}")).containsExactly("{\"error\":null,\"x\":1}");
    }

    @Test
    void emptyBodyStillGivesAMessage() {
        assertThat(ErrorBodies.toException(502, NONE, "").errors()).containsExactly("HTTP 502 with an empty body");
    }

    @Test
    void hintAndDetailAreReachable() {
        CartoException e = ErrorBodies.toException(400, NONE,
                "{\"error\":[\"function st_buffer(geometry) does not exist\"],\"hint\":\"No function matches\"}");
        assertThat(e.detail("hint")).contains("No function matches");
        assertThat(e.detail("detail")).isEmpty();
    }

    @Test
    void rateLimitHeadersAreRead() {
        CartoException e = ErrorBodies.toException(429, headers(Map.of(
                "Carto-Rate-Limit-Limit", "10",
                "Carto-Rate-Limit-Remaining", "0",
                "Retry-After", "7",
                "Carto-Rate-Limit-Reset", "42")),
                "{\"error\":[\"You are over platform's limits. Please contact us to know more details\"],"
                        + "\"context\":\"limit\",\"detail\":\"rate-limit\"}");
        assertThat(e).isInstanceOf(CartoRateLimitException.class);
        CartoRateLimitException r = (CartoRateLimitException) e;
        assertThat(r.status()).isEqualTo(429);
        assertThat(r.limit()).isEqualTo(10);
        assertThat(r.remaining()).isZero();
        assertThat(r.retryAfter()).isEqualTo(7);
        assertThat(r.reset()).isEqualTo(42);
        assertThat(r.detail("detail")).contains("rate-limit");
    }

    @Test
    void headerNamesAreCaseInsensitive() {
        CartoException e = ErrorBodies.toException(429, headers(Map.of("retry-after", "1",
                "carto-rate-limit-limit", "5")), "{}");
        assertThat(e).isInstanceOf(CartoRateLimitException.class);
        assertThat(((CartoRateLimitException) e).limit()).isEqualTo(5);
    }

    @Test
    void missingRateLimitHeadersReadAsMinusOne() {
        CartoRateLimitException r = (CartoRateLimitException) ErrorBodies.toException(429,
                headers(Map.of("Retry-After", "3")), "{\"error\":[\"slow down\"]}");
        assertThat(r.limit()).isEqualTo(-1);
        assertThat(r.remaining()).isEqualTo(-1);
        assertThat(r.reset()).isEqualTo(-1);
        assertThat(r.retryAfter()).isEqualTo(3);
    }

    @Test
    void a429WithoutRetryAfterIsAPlainCartoException() {
        // The SQL API's statement-timeout answer is a 429 without rate-limit headers.
        CartoException e = ErrorBodies.toException(429, NONE, "{\"error\":[\"You are over platform's limits: "
                + "SQL query timeout error.\"],\"context\":\"limit\",\"detail\":\"datasource\"}");
        assertThat(e).isNotInstanceOf(CartoRateLimitException.class);
        assertThat(e.status()).isEqualTo(429);
    }

    @Test
    void negativeOrNonNumericRetryAfterIsNotARateLimit() {
        assertThat(ErrorBodies.toException(429, headers(Map.of("Retry-After", "-1")), "{}"))
                .isNotInstanceOf(CartoRateLimitException.class);
        assertThat(ErrorBodies.toException(429, headers(Map.of("Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT")),
                "{}")).isNotInstanceOf(CartoRateLimitException.class);
    }

    @Test
    void retryAfterOnAnotherStatusIsNotARateLimit() {
        assertThat(ErrorBodies.toException(503, headers(Map.of("Retry-After", "5")), "{}"))
                .isNotInstanceOf(CartoRateLimitException.class);
    }

    static HttpHeaders headers(Map<String, String> values) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        values.forEach((k, v) -> m.put(k, List.of(v)));
        return HttpHeaders.of(m, (a, b) -> true);
    }
}
