package io.tessera.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tessera.client.auth.ApiKeyAuthClient;
import io.tessera.client.auth.AuthClient;
import io.tessera.client.auth.BaseUrls;
import io.tessera.client.auth.NonVerifiedApiKeyAuthClient;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Who to talk to and with which key, in the CARTOframes sense: a base URL (from a user name,
 * {@code https://<user>.carto.com/}, or given for self-hosted servers) and an API key ({@code default_public}
 * when omitted). Can be kept as the process default, saved to and loaded from a JSON file of mode 0600
 * ({@code {"username":…,"api_key":…,"base_url":…}}), or read from {@code CARTO_API_URL}/{@code CARTO_API_KEY}.
 * Immutable; {@link #toString()} never shows the key.
 */
public final class Credentials {

    /** The key of anonymous access, used when none is given (as CARTOframes). */
    public static final String DEFAULT_API_KEY = "default_public";
    /** Environment variable holding the base URL. */
    public static final String ENV_URL = "CARTO_API_URL";
    /** Environment variable holding the API key. */
    public static final String ENV_KEY = "CARTO_API_KEY";

    private static volatile Credentials defaultCredentials;

    private final String baseUrl;
    private final String apiKey;
    private final String username;

    private Credentials(String baseUrl, String apiKey) {
        this.baseUrl = BaseUrls.normalize(baseUrl);
        this.username = BaseUrls.username(this.baseUrl);
        this.apiKey = apiKey == null || apiKey.isEmpty() ? DEFAULT_API_KEY : apiKey;
    }

    /** Credentials for CARTO's cloud user {@code username} ({@code https://<username>.carto.com/}). */
    public static Credentials ofUsername(String username, String apiKey) {
        if (username == null || username.isBlank()) {
            throw new CartoException("a user name is required");
        }
        return new Credentials("https://" + username + ".carto.com/", apiKey);
    }

    /** Credentials for the server and user a base URL names, e.g. {@code http://host:8080/user/alice/}. */
    public static Credentials ofBaseUrl(String baseUrl, String apiKey) {
        return new Credentials(baseUrl, apiKey);
    }

    /** Anonymous ({@code default_public}) credentials for {@code baseUrl}. */
    public static Credentials ofBaseUrl(String baseUrl) {
        return new Credentials(baseUrl, null);
    }

    /** Credentials from {@code CARTO_API_URL} and {@code CARTO_API_KEY}, when the URL is set. */
    public static Optional<Credentials> fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /** Credentials from the given environment's {@code CARTO_API_URL} and {@code CARTO_API_KEY}. */
    public static Optional<Credentials> fromEnvironment(Map<String, String> env) {
        String url = env.get(ENV_URL);
        if (url == null || url.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(new Credentials(url.strip(), env.get(ENV_KEY)));
    }

    /** Makes {@code credentials} the process default (null clears it). */
    public static void setDefault(Credentials credentials) {
        defaultCredentials = credentials;
    }

    /** The process default set by {@link #setDefault}, if any. */
    public static Optional<Credentials> getDefault() {
        return Optional.ofNullable(defaultCredentials);
    }

    /** {@code $XDG_CONFIG_HOME/tessera/credentials.json}, else {@code ~/.config/tessera/credentials.json}. */
    public static Path defaultFile() {
        return defaultFile(System.getenv(), Path.of(System.getProperty("user.home")));
    }

    /** The default file for the given environment and home directory. */
    public static Path defaultFile(Map<String, String> env, Path home) {
        String xdg = env.get("XDG_CONFIG_HOME");
        // The XDG spec says a relative value is invalid and must be ignored.
        Path config = xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()
                ? Path.of(xdg) : home.resolve(".config");
        return config.resolve("tessera").resolve("credentials.json");
    }

    /** Loads credentials from {@link #defaultFile()}. */
    public static Credentials load() {
        return load(defaultFile());
    }

    /**
     * Loads credentials saved by {@link #save(Path)}; {@code base_url} may be absent when {@code username} is
     * given, {@code api_key} when the public key is meant.
     *
     * @throws CartoException when the file is missing or not valid credentials
     */
    public static Credentials load(Path file) {
        JsonNode json;
        try {
            json = Json.mapper().readTree(file.toFile());
        } catch (NoSuchFileException | FileNotFoundException e) {
            throw new CartoException("no credentials file at " + file, e);
        } catch (IOException e) {
            throw new CartoException("could not read credentials file " + file + ": " + e.getMessage(), e);
        }
        if (json == null || !json.isObject()) {
            throw new CartoException("credentials file " + file + " does not hold a JSON object");
        }
        String key = text(json, "api_key");
        String url = text(json, "base_url");
        if (url != null) {
            return new Credentials(url, key);
        }
        String user = text(json, "username");
        if (user != null) {
            return ofUsername(user, key);
        }
        throw new CartoException("credentials file " + file + " has neither base_url nor username");
    }

    /** Saves to {@link #defaultFile()}; returns the path written. */
    public Path save() {
        Path file = defaultFile();
        save(file);
        return file;
    }

    /**
     * Writes {@code {"username","api_key","base_url"}} to {@code file}, replacing it atomically. The new file is
     * created with mode 0600 (never widened then narrowed, so the key is never readable by others even briefly);
     * missing directories are created with mode 0700.
     */
    public void save(Path file) {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        ObjectNode json = Json.mapper().createObjectNode()
                .put("username", username).put("api_key", apiKey).put("base_url", baseUrl);
        try {
            boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
            if (!Files.isDirectory(dir)) {
                if (posix) {
                    Files.createDirectories(dir, perms("rwx------"));
                } else {
                    Files.createDirectories(dir);
                }
            }
            Path tmp = posix ? Files.createTempFile(dir, ".credentials", ".tmp", perms("rw-------"))
                    : Files.createTempFile(dir, ".credentials", ".tmp");
            try {
                try (OutputStream out = Files.newOutputStream(tmp)) {
                    Json.mapper().writerWithDefaultPrettyPrinter().writeValue(out, json);
                }
                move(tmp, target);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (FileAlreadyExistsException e) {
            throw new CartoException("cannot create directory for credentials: " + e.getFile() + " is a file", e);
        } catch (IOException e) {
            throw new CartoException("could not save credentials to " + target + ": " + e.getMessage(), e);
        }
    }

    /** An auth client for these credentials. */
    public AuthClient authClient() {
        return new ApiKeyAuthClient(baseUrl, apiKey);
    }

    /** An auth client for these credentials that accepts self-signed TLS certificates (see its caveat). */
    public AuthClient nonVerifiedAuthClient() {
        return new NonVerifiedApiKeyAuthClient(baseUrl, apiKey);
    }

    /** The base URL, ending in {@code /}. */
    public String baseUrl() {
        return baseUrl;
    }

    /** The API key. */
    public String apiKey() {
        return apiKey;
    }

    /** The user name the base URL names. */
    public String username() {
        return username;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Credentials c && c.baseUrl.equals(baseUrl) && c.apiKey.equals(apiKey);
    }

    @Override
    public int hashCode() {
        return Objects.hash(baseUrl, apiKey);
    }

    @Override
    public String toString() {
        return "Credentials[baseUrl=" + baseUrl + ", username=" + username + ", apiKey="
                + (apiKey.equals(DEFAULT_API_KEY) ? DEFAULT_API_KEY : "***") + "]";
    }

    private static void move(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static FileAttribute<?> perms(String spec) {
        return PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(spec));
    }

    private static String text(JsonNode json, String key) {
        JsonNode v = json.get(key);
        return v != null && v.isTextual() && !v.asText().isBlank() ? v.asText() : null;
    }
}
