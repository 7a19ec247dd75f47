package io.tessera.cli;

import io.tessera.client.CartoException;
import io.tessera.client.Credentials;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Decides which server and key a CLI command uses. The server comes from the first source that names one:
 * flags ({@code --base-url}, {@code -u}), then {@code CARTO_API_URL}, then the credentials file. The key is
 * {@code -k} when given, else the key of that same source ({@code CARTO_API_KEY} goes with {@code CARTO_API_URL},
 * the file's {@code api_key} with its {@code base_url}), else {@code default_public}: a key stored for one server
 * is never sent to a server named somewhere else. Shared by every client subcommand.
 */
public final class CredentialResolver {

    private static final Pattern USER_PATH = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*://[^/]+/user/([^/]+)(/.*)?$");

    /**
     * The credential flags of one command line; each may be null.
     *
     * @param baseUrl {@code --base-url}
     * @param user    {@code -u/--user}
     * @param apiKey  {@code -k/--api-key}
     */
    public record Flags(String baseUrl, String user, String apiKey) {
        /** No flags given. */
        public static Flags none() {
            return new Flags(null, null, null);
        }
    }

    /**
     * The outcome: credentials and where the server came from (for messages).
     *
     * @param credentials the credentials to use
     * @param source      a human description of where the server came from
     */
    public record Resolved(Credentials credentials, String source) {
    }

    private final Map<String, String> env;
    private final Path credentialsFile;

    /** A resolver reading {@code env} and the credentials file at {@code credentialsFile}. */
    public CredentialResolver(Map<String, String> env, Path credentialsFile) {
        this.env = Map.copyOf(env);
        this.credentialsFile = credentialsFile;
    }

    /** A resolver for a CLI run: its environment and the default credentials file under its home. */
    public static CredentialResolver of(CliContext ctx) {
        return new CredentialResolver(ctx.env(), Credentials.defaultFile(ctx.env(), ctx.home()));
    }

    /** The credentials file this resolver falls back to. */
    public Path credentialsFile() {
        return credentialsFile;
    }

    /**
     * Resolves the credentials for {@code flags}.
     *
     * @throws CliException when no source names a server, or a source is invalid
     */
    public Resolved resolve(Flags flags) {
        String key = blankToNull(flags.apiKey());
        try {
            Optional<String> flagUrl = urlFromFlags(flags);
            if (flagUrl.isPresent()) {
                return new Resolved(Credentials.ofBaseUrl(flagUrl.get(), key), "command-line flags");
            }
            Optional<Credentials> fromEnv = Credentials.fromEnvironment(env);
            if (fromEnv.isPresent()) {
                Credentials c = fromEnv.get();
                return new Resolved(key == null ? c : Credentials.ofBaseUrl(c.baseUrl(), key),
                        "environment (" + Credentials.ENV_URL + ")");
            }
            if (credentialsFile != null && Files.exists(credentialsFile)) {
                Credentials c = Credentials.load(credentialsFile);
                return new Resolved(key == null ? c : Credentials.ofBaseUrl(c.baseUrl(), key),
                        "credentials file " + credentialsFile);
            }
        } catch (CartoException e) {
            throw new CliException(e.getMessage());
        }
        throw new CliException("no credentials: pass --base-url URL (or -u USER) and -k KEY, set "
                + Credentials.ENV_URL + " and " + Credentials.ENV_KEY + ", or save a credentials file at "
                + credentialsFile);
    }

    private static Optional<String> urlFromFlags(Flags flags) {
        String url = blankToNull(flags.baseUrl());
        String user = blankToNull(flags.user());
        if (url == null) {
            return Optional.ofNullable(user).map(u -> "https://" + u + ".carto.com/");
        }
        if (user == null) {
            return Optional.of(url);
        }
        var m = USER_PATH.matcher(url);
        if (m.matches()) {
            if (!m.group(1).equals(user)) {
                throw new CliException("--user " + user + " does not match the user of --base-url " + url);
            }
            return Optional.of(url);
        }
        // A server root plus a user: the on-premises form, which the server routes by path.
        return Optional.of((url.endsWith("/") ? url : url + "/") + "user/" + user + "/");
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
