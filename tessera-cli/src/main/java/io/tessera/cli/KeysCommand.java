package io.tessera.cli;

import io.tessera.client.keys.ApiKey;
import io.tessera.client.keys.ApiKeyManager;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code tessera keys list|create|rm|regenerate}: the Auth API from the command line (master key for changes). */
@Command(name = "keys", description = "Manage API keys (Auth API).", mixinStandardHelpOptions = true,
        subcommands = {KeysCommand.ListKeys.class, KeysCommand.Create.class, KeysCommand.Remove.class,
            KeysCommand.Regenerate.class})
public class KeysCommand implements Callable<Integer> {
    @ParentCommand
    TesseraCommand parent;

    @Override
    public Integer call() {
        parent.context().err().println("tessera keys: missing subcommand (list, create, rm, regenerate)");
        return CliMain.EXIT_USAGE;
    }

    abstract static class KeysVerb implements Callable<Integer> {
        @ParentCommand
        KeysCommand keys;
        @Mixin
        CredentialOptions credentials;

        ApiKeyManager manager() {
            return new ApiKeyManager(keys.parent.authClient(credentials));
        }

        PrintStream out() {
            return keys.parent.context().out();
        }

        void print(ApiKey k) {
            out().println(k.name() + "\t" + k.type() + "\t" + k.token() + "\t" + String.join(",", k.apis()));
            for (ApiKey.TableGrant t : k.tables()) {
                out().println("  " + t.schema() + "." + t.name() + "\t" + String.join(",", t.permissions()));
            }
        }
    }

    @Command(name = "list", description = "List the keys (name, type, token, APIs, table grants).")
    static final class ListKeys extends KeysVerb {
        @Override
        public Integer call() {
            manager().all().forEach(this::print);
            return CliMain.EXIT_OK;
        }
    }

    @Command(name = "create", description = "Create a regular key; prints it with its token.")
    static final class Create extends KeysVerb {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;
        @Option(names = "--apis", split = ",", defaultValue = "sql,maps", description = "APIs to grant (default: ${DEFAULT-VALUE}).")
        List<String> apis;
        @Option(names = "--table", paramLabel = "TABLE:PERMS",
                description = "A table and its permissions, e.g. --table cities:select,insert; repeatable.")
        List<String> tables = new ArrayList<>();

        @Override
        public Integer call() {
            String schema = keys.parent.authClient(credentials).username();
            List<ApiKey.TableGrant> grants = new ArrayList<>();
            for (String t : tables) {
                int colon = t.lastIndexOf(':');
                if (colon <= 0 || colon == t.length() - 1) {
                    throw new CliException("--table wants TABLE:PERMISSIONS, e.g. cities:select (got " + t + ")");
                }
                grants.add(new ApiKey.TableGrant(schema, t.substring(0, colon), List.of(t.substring(colon + 1).split(","))));
            }
            print(manager().create(name, apis, grants));
            return CliMain.EXIT_OK;
        }
    }

    @Command(name = "rm", description = "Delete a regular key.")
    static final class Remove extends KeysVerb {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            manager().delete(name);
            out().println("Deleted key " + name);
            return CliMain.EXIT_OK;
        }
    }

    @Command(name = "regenerate", description = "Give a key a new token (the old one stops working); prints it.")
    static final class Regenerate extends KeysVerb {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            print(manager().regenerateToken(name));
            return CliMain.EXIT_OK;
        }
    }
}
