package io.tessera.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.client.auth.ApiKeyAuthClient;
import io.tessera.client.auth.AuthClient;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialsTest {

    @TempDir
    Path dir;

    @AfterEach
    void clearDefault() {
        Credentials.setDefault(null);
    }

    @Test
    void fromUsernameUsesCartoCloud() {
        Credentials c = Credentials.ofUsername("alice", "k");
        assertThat(c.baseUrl()).isEqualTo("https://alice.carto.com/");
        assertThat(c.username()).isEqualTo("alice");
        assertThat(c.apiKey()).isEqualTo("k");
    }

    @Test
    void keyDefaultsToPublic() {
        assertThat(Credentials.ofBaseUrl("http://localhost:8080/user/bob").apiKey()).isEqualTo("default_public");
        assertThat(Credentials.ofUsername("bob", null).apiKey()).isEqualTo("default_public");
    }

    @Test
    void baseUrlMustNameAUser() {
        assertThatThrownBy(() -> Credentials.ofBaseUrl("http://localhost:8080/", "k"))
                .isInstanceOf(CartoException.class);
    }

    @Test
    void saveAndLoadRoundTrip() throws Exception {
        Credentials c = Credentials.ofBaseUrl("http://127.0.0.1:8080/user/alice/", "s3cret");
        Path file = dir.resolve("nested/tessera/credentials.json");
        c.save(file);
        assertThat(Credentials.load(file)).isEqualTo(c);
        JsonNode json = Json.mapper().readTree(file.toFile());
        assertThat(json.get("username").asText()).isEqualTo("alice");
        assertThat(json.get("api_key").asText()).isEqualTo("s3cret");
        assertThat(json.get("base_url").asText()).isEqualTo("http://127.0.0.1:8080/user/alice/");
        assertThat(Files.list(file.getParent())).containsExactly(file);
    }

    @Test
    void savedFileIsMode0600AndNewDirectories0700() throws Exception {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        Path file = dir.resolve("cfg/tessera/credentials.json");
        Credentials.ofUsername("alice", "k").save(file);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
                .isEqualTo("rwx------");
    }

    @Test
    void overwritingAWorldReadableFileLeavesMode0600() throws Exception {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        Path file = dir.resolve("credentials.json");
        Files.writeString(file, "{}");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        Credentials.ofUsername("alice", "k").save(file);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Credentials.load(file).apiKey()).isEqualTo("k");
    }

    @Test
    void loadAcceptsUsernameOnlyAndMissingKey() throws Exception {
        Path file = dir.resolve("c.json");
        Files.writeString(file, "{\"username\":\"carol\"}");
        Credentials c = Credentials.load(file);
        assertThat(c.baseUrl()).isEqualTo("https://carol.carto.com/");
        assertThat(c.apiKey()).isEqualTo("default_public");
    }

    @Test
    void loadFailuresAreClear() throws Exception {
        assertThatThrownBy(() -> Credentials.load(dir.resolve("missing.json")))
                .isInstanceOf(CartoException.class).hasMessageContaining("no credentials file");
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"api_key\":\"k\"}");
        assertThatThrownBy(() -> Credentials.load(bad)).hasMessageContaining("neither base_url nor username");
        Files.writeString(bad, "not json");
        assertThatThrownBy(() -> Credentials.load(bad)).isInstanceOf(CartoException.class);
    }

    @Test
    void defaultFileFollowsXdg() {
        Path home = Path.of("/home/u");
        assertThat(Credentials.defaultFile(Map.of(), home))
                .isEqualTo(Path.of("/home/u/.config/tessera/credentials.json"));
        assertThat(Credentials.defaultFile(Map.of("XDG_CONFIG_HOME", "/xdg"), home))
                .isEqualTo(Path.of("/xdg/tessera/credentials.json"));
        assertThat(Credentials.defaultFile(Map.of("XDG_CONFIG_HOME", "relative"), home))
                .as("a relative XDG_CONFIG_HOME is ignored, as the spec says")
                .isEqualTo(Path.of("/home/u/.config/tessera/credentials.json"));
    }

    @Test
    void fromEnvironment() {
        assertThat(Credentials.fromEnvironment(Map.of())).isEmpty();
        assertThat(Credentials.fromEnvironment(Map.of("CARTO_API_KEY", "k"))).isEmpty();
        Credentials c = Credentials.fromEnvironment(Map.of("CARTO_API_URL", "http://h/user/dave",
                "CARTO_API_KEY", "k")).orElseThrow();
        assertThat(c.baseUrl()).isEqualTo("http://h/user/dave/");
        assertThat(c.apiKey()).isEqualTo("k");
        assertThat(Credentials.fromEnvironment(Map.of("CARTO_API_URL", "http://h/user/dave")).orElseThrow()
                .apiKey()).isEqualTo("default_public");
    }

    @Test
    void defaultCredentials() {
        assertThat(Credentials.getDefault()).isEmpty();
        Credentials c = Credentials.ofUsername("erin", "k");
        Credentials.setDefault(c);
        assertThat(Credentials.getDefault()).contains(c);
    }

    @Test
    void authClientCarriesTheKey() {
        AuthClient a = Credentials.ofBaseUrl("https://h.example.com/user/frank", "k9").authClient();
        assertThat(a).isInstanceOf(ApiKeyAuthClient.class);
        assertThat(((ApiKeyAuthClient) a).apiKey()).isEqualTo("k9");
        assertThat(a.username()).isEqualTo("frank");
    }

    @Test
    void toStringHidesTheKey() {
        assertThat(Credentials.ofUsername("gina", "very-secret").toString())
                .doesNotContain("very-secret").contains("gina").contains("***");
    }
}
