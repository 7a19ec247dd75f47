package io.tessera.client.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.client.CartoException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class BaseUrlsTest {

    /** The table of carto-python-calls.md §1, plus the forms the normalisation has to get right. */
    @ParameterizedTest
    @CsvSource({
        "https://user1.carto.com/a/b/c, user1",
        "http://www.user3.carto.com/a/b/c, user3",
        "https://carto.com/user/user1/a/b/c, user1",
        "http://testorg.localhost:8080/user/testuser/, testuser",
        "http://testuser.localhost:8080/, testuser",
        "http://127.0.0.1:8080/, 127",
        "https://carto.com/user/user1, user1",
        "http://127.0.0.1:8080/user/alice, alice",
        "https://user1.carto.com, user1",
    })
    void usernameAsCartoPythonFindsIt(String baseUrl, String expected) {
        assertThat(BaseUrls.username(baseUrl)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://localhost:8080/", "http://localhost/", "not a url", "http://www.localhost/"})
    void noUserNameIsAnError(String baseUrl) {
        assertThatThrownBy(() -> BaseUrls.username(baseUrl))
                .isInstanceOf(CartoException.class)
                .hasMessageStartingWith("Could not find a valid user_name in the base URL");
    }

    @ParameterizedTest
    @CsvSource({
        "https://a.carto.com, https://a.carto.com/",
        "https://a.carto.com/, https://a.carto.com/",
        "http://h/user/u, http://h/user/u/",
    })
    void trailingSlashIsAppended(String in, String out) {
        assertThat(BaseUrls.normalize(in)).isEqualTo(out);
    }

    @Test
    void onlyTheFirstWwwIsDropped() {
        // Python's netloc.split('www.')[1] keeps what lies between the first and the second "www.".
        assertThat(BaseUrls.username("http://www.bob.example.com/")).isEqualTo("bob");
        assertThat(BaseUrls.username("http://www.bob.www.example.com/")).isEqualTo("bob");
    }
}
