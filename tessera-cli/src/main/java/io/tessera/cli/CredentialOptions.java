package io.tessera.cli;

import picocli.CommandLine.Option;

/**
 * The credential flags every client subcommand takes ({@code --base-url}, {@code -u/--user},
 * {@code -k/--api-key}, {@code --insecure}); mixed into each subcommand with {@code @Mixin} and turned into
 * credentials by {@link CredentialResolver}.
 */
public class CredentialOptions {

    @Option(names = "--base-url", paramLabel = "URL",
            description = "Server and user, e.g. http://localhost:8080/user/alice/ or https://alice.carto.com/.")
    String baseUrl;

    @Option(names = {"-u", "--user"}, paramLabel = "USER",
            description = "User name: alone it means https://USER.carto.com/; with a --base-url that names no "
                    + "user it adds /user/USER/.")
    String user;

    @Option(names = {"-k", "--api-key"}, paramLabel = "KEY",
            description = "API key (visible to other local users in the process list: prefer CARTO_API_KEY or the "
                    + "credentials file). Default: the key stored with the server, else default_public.")
    String apiKey;

    @Option(names = "--insecure", description = "Accept self-signed TLS certificates (no verification).")
    boolean insecure;

    /** The flags as the resolver takes them. */
    public CredentialResolver.Flags flags() {
        return new CredentialResolver.Flags(baseUrl, user, apiKey);
    }

    /** Whether TLS certificates should not be verified. */
    public boolean insecure() {
        return insecure;
    }
}
