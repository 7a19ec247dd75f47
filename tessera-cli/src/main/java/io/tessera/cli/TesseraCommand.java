package io.tessera.cli;

import io.tessera.client.SdkVersion;
import io.tessera.client.auth.AuthClient;
import io.tessera.client.auth.NonVerifiedApiKeyAuthClient;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code tessera} top command: holds the run's {@link CliContext} and lists the client subcommands. Run
 * without a subcommand it prints the usage and fails, since it does nothing on its own.
 */
@Command(name = "tessera", mixinStandardHelpOptions = true, versionProvider = TesseraCommand.Version.class,
        description = "Command line client for Tessera and other CARTO-compatible servers.",
        subcommands = {SqlCommand.class, KeysCommand.class, BatchCommand.class, CopyCommand.class, MapsCommand.class,
            ImportCommand.class, DatasetsCommand.class},
        footer = {"", "Credentials: the --base-url/-u and -k flags, else CARTO_API_URL and CARTO_API_KEY,",
            "else $XDG_CONFIG_HOME/tessera/credentials.json (~/.config/tessera/credentials.json)."})
public class TesseraCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    private final CliContext context;

    /** A top command for a run with {@code context}. */
    public TesseraCommand(CliContext context) {
        this.context = context;
    }

    /** The run's streams and environment. */
    public CliContext context() {
        return context;
    }

    /** An auth client for a subcommand's credential flags, resolved as {@link CredentialResolver} says. */
    public AuthClient authClient(CredentialOptions options) {
        var c = CredentialResolver.of(context).resolve(options.flags()).credentials();
        return options.insecure() ? new NonVerifiedApiKeyAuthClient(c.baseUrl(), c.apiKey()) : c.authClient();
    }

    @Override
    public Integer call() {
        context.err().println("tessera: missing command");
        spec.commandLine().usage(context.err());
        return CliMain.EXIT_USAGE;
    }

    /** Reports the SDK version for {@code --version}. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"tessera " + SdkVersion.VERSION};
        }
    }
}
