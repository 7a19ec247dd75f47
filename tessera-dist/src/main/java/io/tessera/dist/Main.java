package io.tessera.dist;

import io.tessera.cli.CliMain;
import io.tessera.server.admin.AdminCommands;
import java.util.Set;

/**
 * The one distributable's entry point: {@code serve} and the admin verbs ({@code users}, {@code orgs}) go to the
 * server module; everything else ({@code sql}, …) to the client CLI.
 */
public final class Main {
    private static final Set<String> SERVER_VERBS = Set.of("serve", "users", "orgs");

    private Main() {
    }

    public static int run(String... args) {
        if (args.length > 0 && SERVER_VERBS.contains(args[0])) {
            return AdminCommands.run(args);
        }
        return CliMain.run(args);
    }

    public static void main(String[] args) {
        int code = run(args);
        if (code != 0 || args.length == 0 || !args[0].equals("serve")) {
            System.exit(code);
        }
    }
}
