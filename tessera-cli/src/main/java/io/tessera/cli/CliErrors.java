package io.tessera.cli;

import io.tessera.client.CartoException;
import io.tessera.client.CartoRateLimitException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Turns a failed command into lines on standard error and an exit code: the server's messages one per line (with
 * its {@code hint}/{@code detail} when given), a user error's one line, or an unexpected failure. Stack traces only
 * with {@code TESSERA_DEBUG} set, since users act on the message.
 */
final class CliErrors {

    private static final List<String> DETAIL_KEYS = List.of("detail", "hint", "context");

    private CliErrors() {
    }

    static int report(Exception e, CliContext ctx) {
        PrintStream err = ctx.err();
        int code = switch (e) {
            case CliException c -> {
                err.println("tessera: " + c.getMessage());
                yield c.exitCode();
            }
            case CartoException c -> {
                printServerError(c, err);
                yield CliMain.EXIT_FAILURE;
            }
            case IOException io -> {
                err.println("tessera: " + io.getMessage());
                yield CliMain.EXIT_FAILURE;
            }
            case UncheckedIOException io -> {
                err.println("tessera: " + io.getCause().getMessage());
                yield CliMain.EXIT_FAILURE;
            }
            default -> {
                err.println("tessera: unexpected failure: " + e);
                yield CliMain.EXIT_FAILURE;
            }
        };
        if (ctx.env().containsKey("TESSERA_DEBUG")) {
            e.printStackTrace(err);
        }
        err.flush();
        return code;
    }

    private static void printServerError(CartoException c, PrintStream err) {
        // 200 is an error appended after streaming began: the status says nothing useful there.
        String status = c.status() > 0 && c.status() != 200 ? " (HTTP " + c.status() + ")" : "";
        for (String message : c.errors()) {
            err.println("tessera: " + message + status);
        }
        for (String key : DETAIL_KEYS) {
            c.detail(key).ifPresent(v -> err.println("tessera: " + key + ": " + v));
        }
        if (c instanceof CartoRateLimitException r) {
            err.println("tessera: rate limited; retry after " + r.retryAfter() + " s");
        }
    }
}
