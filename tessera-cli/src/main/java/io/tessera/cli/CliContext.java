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
 * @param terminal standard output is a terminal (binary answers are then refused without {@code -o})
 */
public record CliContext(InputStream in, PrintStream out, PrintStream err, Map<String, String> env, Path home,
                         boolean terminal) {

    public CliContext {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(err, "err");
        env = Map.copyOf(env);
        Objects.requireNonNull(home, "home");
    }

    /** A context whose standard output is not a terminal (tests, pipes). */
    public CliContext(InputStream in, PrintStream out, PrintStream err, Map<String, String> env, Path home) {
        this(in, out, err, env, home, false);
    }

    /** The real process: {@code System.in/out/err}, {@code System.getenv()}, {@code user.home}. */
    public static CliContext system() {
        return new CliContext(System.in, System.out, System.err, System.getenv(),
                Path.of(System.getProperty("user.home")), stdoutIsTerminal());
    }

    /**
     * JDK 22+ answers through {@code Console.isTerminal()} (its {@code System.console()} is never null);
     * on 21, a console exists only when stdin and stdout are terminals.
     */
    static boolean stdoutIsTerminal() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }
}
