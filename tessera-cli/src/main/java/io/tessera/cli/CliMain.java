package io.tessera.cli;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Entry point of the {@code tessera} command line (client verbs). {@link #run} never exits the JVM, so
 * {@code tessera-dist} and tests can call it in-process; {@link #main} exits with its code.
 */
public final class CliMain {

    /** Success. */
    public static final int EXIT_OK = 0;
    /** The server reported an error, or the transfer failed. */
    public static final int EXIT_FAILURE = 1;
    /** Bad usage or missing configuration (as picocli's {@code ExitCode.USAGE}). */
    public static final int EXIT_USAGE = 2;

    private CliMain() {
    }

    /** Runs the CLI and exits with its code. */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI against the real process streams and environment; returns the exit code. */
    public static int run(String... args) {
        return run(CliContext.system(), args);
    }

    /** Runs the CLI with the given streams and environment; returns the exit code. */
    public static int run(CliContext ctx, String... args) {
        CommandLine cmd = commandLine(ctx);
        int code = cmd.execute(args);
        ctx.out().flush();
        ctx.err().flush();
        return code;
    }

    /** The configured picocli command tree (exposed for tests that only parse). */
    static CommandLine commandLine(CliContext ctx) {
        CommandLine cmd = new CommandLine(new TesseraCommand(ctx));
        cmd.setCaseInsensitiveEnumValuesAllowed(true);
        cmd.setOut(new PrintWriter(new OutputStreamWriter(ctx.out(), StandardCharsets.UTF_8), true));
        cmd.setErr(new PrintWriter(new OutputStreamWriter(ctx.err(), StandardCharsets.UTF_8), true));
        cmd.setExecutionExceptionHandler((e, commandLine, parseResult) -> CliErrors.report(e, ctx));
        cmd.setParameterExceptionHandler(CliMain::badUsage);
        return cmd;
    }

    private static int badUsage(ParameterException e, String[] args) {
        CommandLine c = e.getCommandLine();
        PrintWriter err = c.getErr();
        boolean top = c.getCommandSpec().parent() == null;
        if (top && e instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()
                && !u.getUnmatched().get(0).startsWith("-")) {
            err.println("tessera: unknown command '" + u.getUnmatched().get(0) + "'");
            UnmatchedArgumentException.printSuggestions(u, err);
            err.println("Commands: " + String.join(", ", c.getSubcommands().keySet())
                    + ". Run 'tessera --help' for usage.");
        } else {
            err.println(c.getCommandSpec().qualifiedName() + ": " + e.getMessage());
            err.println("Run '" + c.getCommandSpec().qualifiedName() + " --help' for usage.");
        }
        err.flush();
        return EXIT_USAGE;
    }
}
