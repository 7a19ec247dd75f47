package io.tessera.cli;

/**
 * A failure the user can fix (no credentials, a bad flag combination, an unwritable output file): printed as
 * one clear line without a stack trace, with its own exit code.
 */
public class CliException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int exitCode;

    /** A failure with exit code 2 (usage or configuration). */
    public CliException(String message) {
        this(message, CliMain.EXIT_USAGE);
    }

    /** A failure with the given exit code. */
    public CliException(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    /** A failure with exit code 1 caused by {@code cause}. */
    public CliException(String message, Throwable cause) {
        super(message, cause);
        this.exitCode = CliMain.EXIT_FAILURE;
    }

    /** The process exit code this failure maps to. */
    public int exitCode() {
        return exitCode;
    }
}
