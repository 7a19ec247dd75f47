package io.tessera.server.admin;

import io.tessera.server.TesseraServer;
import io.tessera.server.auth.Accounts;
import io.tessera.server.auth.User;
import io.tessera.server.config.TesseraConfig;
import io.tessera.server.db.Platform;
import io.tessera.server.orgs.Organizations;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The server-side verbs of the {@code tessera} distributable: {@code serve} and {@code users …}, which
 * work against the database directly (admin connection). Settings come from flags, then environment.
 */
@Command(name = "tessera", mixinStandardHelpOptions = true, version = "Tessera " + TesseraServer.VERSION,
        subcommands = {AdminCommands.Serve.class, AdminCommands.Users.class, AdminCommands.Orgs.class})
public final class AdminCommands {
    private AdminCommands() {
    }

    /** Runs {@code args} (starting with serve or users); returns the exit code. */
    public static int run(String... args) {
        return new CommandLine(new AdminCommands()).execute(args);
    }

    /** Flags shared by every admin verb; each maps to a TESSERA_* setting. */
    static class Settings {
        @Option(names = "--home", description = "Data directory (TESSERA_HOME).")
        String home;
        @Option(names = "--database-url", description = "External PostGIS instead of the embedded cluster (TESSERA_DATABASE_URL).")
        String databaseUrl;

        Map<String, String> overrides() {
            Map<String, String> m = new HashMap<>();
            if (home != null) {
                m.put("TESSERA_HOME", home);
            }
            if (databaseUrl != null) {
                m.put("TESSERA_DATABASE_URL", databaseUrl);
            }
            return m;
        }
    }

    @Command(name = "serve", description = "Start Tessera (embedded PostGIS unless --database-url is given).")
    static final class Serve extends Settings implements Callable<Integer> {
        @Option(names = {"-p", "--port"}, description = "HTTP port (TESSERA_PORT, default 8080; 0 = any free port).")
        Integer port;
        @Option(names = "--bind", description = "Listen address (TESSERA_BIND, default 127.0.0.1).")
        String bind;
        @Option(names = "--no-demo", description = "Do not create the demo user and sample data.")
        boolean noDemo;

        @Override
        public Integer call() throws Exception {
            Map<String, String> o = overrides();
            if (port != null) {
                o.put("TESSERA_PORT", port.toString());
            }
            if (bind != null) {
                o.put("TESSERA_BIND", bind);
            }
            if (noDemo) {
                o.put("TESSERA_DEMO", "false");
            }
            TesseraConfig config = TesseraConfig.load(o, System.getenv());
            TesseraServer server = TesseraServer.start(config);
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.close();
                stopped.countDown();
            }, "tessera-shutdown"));
            Banner.print(server, config);
            stopped.await();
            return 0;
        }
    }

    @Command(name = "orgs", description = "Manage organizations (works on the database directly).",
            subcommands = {Orgs.Create.class})
    static final class Orgs {
        @Command(name = "create", description = "Create an organization owned and administered by an existing user.")
        static final class Create extends Settings implements Callable<Integer> {
            @Parameters(index = "0", description = "Organization name (same rules as usernames).")
            String name;
            @Option(names = "--owner", required = true, description = "The owner: an existing user in no organization.")
            String owner;

            @Override
            public Integer call() throws Exception {
                try (Platform p = Platform.startOrAttach(TesseraConfig.load(overrides(), System.getenv()))) {
                    new Organizations(p.admin(), p.accounts()).create(name, owner);
                    System.out.println("Created organization " + name + " owned by " + owner);
                    return 0;
                } catch (IllegalArgumentException e) {
                    System.err.println(e.getMessage());
                    return 2;
                }
            }
        }
    }

    @Command(name = "users", description = "Manage users (works on the database directly).",
            subcommands = {Users.Create.class, Users.ListUsers.class, Users.Delete.class})
    static final class Users {
        @Command(name = "create", description = "Create a user: schema, roles, master key and default_public key.")
        static final class Create extends Settings implements Callable<Integer> {
            @Parameters(index = "0", description = "Username: lower-case letters, digits and '-'.")
            String username;
            @Option(names = "--email")
            String email;
            @Option(names = "--sql-timeout-ms", description = "Per-user SQL timeout (default: the server's).")
            Integer timeout;
            @Option(names = "--org", description = "Add the user to this existing organization.")
            String org;
            @Option(names = "--org-admin", description = "Make the user an admin of --org.")
            boolean orgAdmin;

            @Override
            public Integer call() throws Exception {
                try (Platform p = Platform.startOrAttach(TesseraConfig.load(overrides(), System.getenv()))) {
                    Organizations orgs = new Organizations(p.admin(), p.accounts());
                    Optional<Organizations.Organization> organization = org == null ? Optional.empty() : orgs.find(org);
                    if (org != null && organization.isEmpty()) {
                        System.err.println("No organization named " + org + " (create it with: tessera orgs create NAME --owner USER)");
                        return 2;
                    }
                    Accounts.Created c = p.accounts().create(username, email, timeout);
                    if (organization.isPresent()) {
                        orgs.join(organization.get(), c.user(), orgAdmin);
                    }
                    PrintWriter out = new PrintWriter(System.out, true);
                    out.println("Created user " + c.user().username());
                    out.println("Master API key: " + c.masterKey());
                    return 0;
                } catch (IllegalArgumentException e) {
                    System.err.println(e.getMessage());
                    return 2;
                }
            }
        }

        @Command(name = "list", description = "List users.")
        static final class ListUsers extends Settings implements Callable<Integer> {
            @Override
            public Integer call() throws Exception {
                try (Platform p = Platform.startOrAttach(TesseraConfig.load(overrides(), System.getenv()))) {
                    for (User u : p.accounts().list()) {
                        System.out.println(u.username() + "\t" + Optional.ofNullable(u.email()).orElse(""));
                    }
                    return 0;
                }
            }
        }

        @Command(name = "delete", description = "Delete a user and all its data.")
        static final class Delete extends Settings implements Callable<Integer> {
            @Parameters(index = "0")
            String username;

            @Override
            public Integer call() throws Exception {
                try (Platform p = Platform.startOrAttach(TesseraConfig.load(overrides(), System.getenv()))) {
                    if (!p.accounts().delete(username)) {
                        System.err.println("No user named " + username);
                        return 1;
                    }
                    System.out.println("Deleted user " + username);
                    return 0;
                }
            }
        }
    }
}
