package io.tessera.cli;

import io.tessera.client.Json;
import io.tessera.client.datasets.Dataset;
import io.tessera.client.datasets.DatasetManager;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code tessera datasets list|show|privacy|rename|rm}: datasets through {@code /api/v1/viz}. */
@Command(name = "datasets", description = "List and manage datasets.", mixinStandardHelpOptions = true,
        subcommands = {DatasetsCommand.ListDatasets.class, DatasetsCommand.Show.class, DatasetsCommand.SetPrivacy.class,
            DatasetsCommand.Rename.class, DatasetsCommand.Remove.class})
public class DatasetsCommand implements Callable<Integer> {
    @ParentCommand
    TesseraCommand parent;

    @Override
    public Integer call() {
        throw new CliException("missing subcommand: list, show, privacy, rename or rm");
    }

    /** Shared plumbing of the subcommands. */
    abstract static class Sub implements Callable<Integer> {
        @ParentCommand
        DatasetsCommand datasets;

        @Mixin
        CredentialOptions credentials;

        DatasetManager manager() {
            return new DatasetManager(datasets.parent.authClient(credentials));
        }

        PrintStream out() {
            return datasets.parent.context().out();
        }
    }

    @Command(name = "list", description = "One line per dataset: name, privacy, rows, bytes, updated.")
    static class ListDatasets extends Sub {
        @Override
        public Integer call() {
            for (Dataset d : manager().all()) {
                out().println(d.name() + "\t" + d.privacy() + "\t" + d.rowCount() + "\t" + d.size() + "\t" + d.updatedAt());
            }
            return CliMain.EXIT_OK;
        }
    }

    @Command(name = "show", description = "The dataset as JSON.")
    static class Show extends Sub {
        @Parameters(paramLabel = "NAME", description = "Dataset name or id.")
        String name;

        @Override
        public Integer call() throws Exception {
            out().println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(manager().get(name).fields()));
            return CliMain.EXIT_OK;
        }
    }

    @Command(name = "privacy", description = "Set a dataset's privacy: private, public or link.")
    static class SetPrivacy extends Sub {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1", paramLabel = "PRIVACY")
        String privacy;

        @Override
        public Integer call() {
            Dataset d = manager().get(name).setPrivacy(privacy.toUpperCase(java.util.Locale.ROOT)).save();
            out().println(d.name() + "\t" + d.privacy());
            return CliMain.EXIT_OK;
        }
    }

    @Command(name = "rename", description = "Rename a dataset (and its table).")
    static class Rename extends Sub {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1", paramLabel = "NEW_NAME")
        String newName;

        @Override
        public Integer call() {
            Dataset d = manager().get(name);
            d.setName(newName);
            d.save();
            out().println(d.name());
            return CliMain.EXIT_OK;
        }
    }

    @Command(name = "rm", description = "Delete a dataset and drop its table.")
    static class Remove extends Sub {
        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--force", description = "Delete even if maps depend on it.")
        boolean force;

        @Override
        public Integer call() {
            Dataset d = manager().get(name);
            if (force) {
                d.forceDelete();
            } else {
                d.delete();
            }
            return CliMain.EXIT_OK;
        }
    }
}
