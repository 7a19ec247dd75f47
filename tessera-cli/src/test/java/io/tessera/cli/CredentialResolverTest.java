package io.tessera.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.cli.CredentialResolver.Flags;
import io.tessera.client.Credentials;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialResolverTest {

    private static final Map<String, String> ENV = Map.of("CARTO_API_URL", "http://env.example/user/envuser",
            "CARTO_API_KEY", "env-key");

    @TempDir
    Path dir;
    private Path file;

    @BeforeEach
    void saveFile() {
        file = dir.resolve("credentials.json");
        Credentials.ofBaseUrl("http://file.example/user/fileuser/", "file-key").save(file);
    }

    @Test
    void flagsWinOverEnvAndFile() {
        var r = new CredentialResolver(ENV, file).resolve(new Flags("http://flag.example/user/flaguser", null, "k"));
        assertThat(r.credentials().baseUrl()).isEqualTo("http://flag.example/user/flaguser/");
        assertThat(r.credentials().apiKey()).isEqualTo("k");
        assertThat(r.source()).isEqualTo("command-line flags");
    }

    @Test
    void serverFromFlagsNeverTakesAKeyStoredForAnotherServer() {
        var r = new CredentialResolver(ENV, file).resolve(new Flags("http://flag.example/user/flaguser", null, null));
        assertThat(r.credentials().apiKey()).isEqualTo("default_public");
    }

    @Test
    void userAloneMeansCartoCloud() {
        var r = new CredentialResolver(Map.of(), null).resolve(new Flags(null, "alice", "k"));
        assertThat(r.credentials().baseUrl()).isEqualTo("https://alice.carto.com/");
    }

    @Test
    void userWithAServerRootAddsTheUserPath() {
        var r = new CredentialResolver(Map.of(), null).resolve(new Flags("http://127.0.0.1:8080", "alice", "k"));
        assertThat(r.credentials().baseUrl()).isEqualTo("http://127.0.0.1:8080/user/alice/");
        assertThat(r.credentials().username()).isEqualTo("alice");
    }

    @Test
    void userMustMatchTheBaseUrlsUserPath() {
        var resolver = new CredentialResolver(Map.of(), null);
        assertThat(resolver.resolve(new Flags("http://h/user/alice/", "alice", null)).credentials().baseUrl())
                .isEqualTo("http://h/user/alice/");
        assertThatThrownBy(() -> resolver.resolve(new Flags("http://h/user/bob/", "alice", null)))
                .isInstanceOf(CliException.class).hasMessageContaining("does not match");
    }

    @Test
    void envWinsOverFileWithItsOwnKey() {
        var r = new CredentialResolver(ENV, file).resolve(Flags.none());
        assertThat(r.credentials().baseUrl()).isEqualTo("http://env.example/user/envuser/");
        assertThat(r.credentials().apiKey()).isEqualTo("env-key");
        assertThat(r.source()).contains("CARTO_API_URL");
    }

    @Test
    void keyFlagOverridesTheEnvKey() {
        var r = new CredentialResolver(ENV, file).resolve(new Flags(null, null, "flag-key"));
        assertThat(r.credentials().baseUrl()).isEqualTo("http://env.example/user/envuser/");
        assertThat(r.credentials().apiKey()).isEqualTo("flag-key");
    }

    @Test
    void envUrlWithoutKeyIsPublic() {
        var r = new CredentialResolver(Map.of("CARTO_API_URL", "http://env.example/user/u"), file)
                .resolve(Flags.none());
        assertThat(r.credentials().apiKey()).isEqualTo("default_public");
    }

    @Test
    void fileIsTheLastResort() {
        var r = new CredentialResolver(Map.of("CARTO_API_KEY", "stray"), file).resolve(Flags.none());
        assertThat(r.credentials().baseUrl()).isEqualTo("http://file.example/user/fileuser/");
        assertThat(r.credentials().apiKey()).as("a key without its URL is not sent to the file's server")
                .isEqualTo("file-key");
        assertThat(r.source()).contains(file.toString());
        assertThat(new CredentialResolver(Map.of(), file).resolve(new Flags(null, null, "k2")).credentials()
                .apiKey()).isEqualTo("k2");
    }

    @Test
    void nothingAnywhereIsAClearError() {
        var resolver = new CredentialResolver(Map.of(), dir.resolve("absent.json"));
        assertThatThrownBy(() -> resolver.resolve(new Flags(null, null, "k")))
                .isInstanceOf(CliException.class)
                .hasMessageContaining("no credentials")
                .hasMessageContaining("CARTO_API_URL")
                .hasMessageContaining("absent.json")
                .extracting(e -> ((CliException) e).exitCode()).isEqualTo(2);
    }

    @Test
    void invalidSourcesAreReportedAsUserErrors() {
        assertThatThrownBy(() -> new CredentialResolver(Map.of("CARTO_API_URL", "http://localhost:8080/"), null)
                .resolve(Flags.none()))
                .isInstanceOf(CliException.class).hasMessageContaining("user_name");
    }

    @Test
    void defaultFileComesFromTheContext() {
        var ctx = new TestContext(Map.of("XDG_CONFIG_HOME", dir.toString()), dir.resolve("home")).ctx;
        assertThat(CredentialResolver.of(ctx).credentialsFile()).isEqualTo(dir.resolve("tessera/credentials.json"));
        var noXdg = new TestContext(Map.of(), dir.resolve("home")).ctx;
        assertThat(CredentialResolver.of(noXdg).credentialsFile())
                .isEqualTo(dir.resolve("home/.config/tessera/credentials.json"));
    }
}
