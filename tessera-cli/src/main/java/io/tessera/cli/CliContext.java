package io.tessera.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * What a CLI run reads from and writes to: standard streams, environment and home directory. Passed in rather
 * than read from {@link System} so that tests (and {@code tessera-it}) can run the CLI in-process, hermetically.
 *
 * @param in   standard input (SQL given as {@code -})
 * @param out  standard output (results)
 * @param err  standard error (messages)
 * @param env  environment variables ({@code CARTO_API_URL}, {@code CARTO_API_KEY}, {@code XDG_CONFIG_HOME})
 * @param home the home directory (for {@code ~/.config/tessera/credentials.json})
 */
public record CliContext(InputStream in, PrintStream out, PrintStream err, Map<String, String> env, Path home) {

    public CliContext {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(err, "err");
        env = Map.copyOf(env);
        Objects.requireNonNull(home, "home");
    }

    /** The real process: {@code System.in/out/err}, {@code System.getenv()}, {@code user.home}. */
    public static CliContext system() {
        return new CliContext(System.in, System.out, System.err, System.getenv(),
                Path.of(System.getProperty("user.home")));
    }
}
