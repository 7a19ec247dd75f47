package io.tessera.cli;

import io.tessera.client.auth.AuthClient;
import io.tessera.client.datasets.TableManager;
import io.tessera.client.imports.FileImportJob;
import io.tessera.client.imports.FileImportJobManager;
import io.tessera.client.imports.ImportSource;
import io.tessera.client.imports.UploadProgress;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code tessera import -f FILE -k KEY -u USER} (the classic import tool's flags) or {@code --url URL}: sends the
 * import, shows the upload's progress, then the import's states until it ends, and prints the new table.
 */
@Command(name = "import", description = "Import a file or a URL as a new dataset (Import API).", mixinStandardHelpOptions = true)
public class ImportCommand implements Callable<Integer> {
    @ParentCommand
    TesseraCommand parent;

    @Mixin
    CredentialOptions credentials;

    @ArgGroup(multiplicity = "1")
    Source source;

    /** Exactly one source. */
    static class Source {
        @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "Local file to upload (CSV, GeoJSON, KML, zip …).")
        Path file;

        @Option(names = "--url", paramLabel = "URL", description = "URL the server downloads.")
        URI url;
    }

    @Option(names = "--privacy", paramLabel = "PRIVACY", description = "private (default), public or link.")
    String privacy;

    @Option(names = "--table-name", paramLabel = "NAME", description = "Name of the new table.")
    String tableName;

    @Option(names = "--collision-strategy", paramLabel = "STRATEGY", description = "overwrite or skip (default: rename t_1, t_2 …).")
    String collisionStrategy;

    @Option(names = "--param", paramLabel = "NAME=VALUE", description = "Another Import API parameter, e.g. type_guessing=false.")
    Map<String, String> params = new LinkedHashMap<>();

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "3600", description = "How long to wait (default: ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    @Option(names = "--no-wait", description = "Print the import id and return without waiting.")
    boolean noWait;

    @Override
    public Integer call() {
        PrintStream err = parent.context().err();
        PrintStream out = parent.context().out();
        AuthClient auth = parent.authClient(credentials);
        Map<String, String> p = new LinkedHashMap<>(params);
        if (privacy != null) {
            p.put("privacy", privacy);
        }
        if (tableName != null) {
            p.put("table_name", tableName);
        }
        if (collisionStrategy != null) {
            p.put("collision_strategy", collisionStrategy);
        }
        ImportSource src;
        if (source.file != null) {
            if (!Files.isRegularFile(source.file)) {
                throw new CliException("no such file: " + source.file);
            }
            src = ImportSource.of(source.file);
        } else {
            src = ImportSource.of(source.url);
        }
        FileImportJob job = new FileImportJobManager(auth).create(src, p, new UploadBar(err));
        err.println("queued import " + job.id());
        if (noWait) {
            out.println(job.id());
            return CliMain.EXIT_OK;
        }
        String[] last = {""};
        job.await(Duration.ofSeconds(timeoutSeconds), Duration.ofMillis(500), j -> {
            String line = j.state() + (j.rows() > 0 ? " (" + j.rows() + " rows)" : "");
            if (!line.equals(last[0])) {
                err.println("import " + line);
                last[0] = line;
            }
        });
        if (!job.success().orElse(false)) {
            throw new CliException("import failed" + job.errorCode().map(c -> " with error " + c).orElse("")
                    + job.errorText().map(t -> ": " + t).orElse(""), CliMain.EXIT_FAILURE);
        }
        String table = job.tableName().orElse("?");
        String dataset = job.tableId().map(id -> new TableManager(auth).get(id).tableVisualizationId()).orElse("?");
        out.println(table + "\t" + dataset);
        return CliMain.EXIT_OK;
    }

    /** Upload progress on standard error, at most twice a second. */
    private static final class UploadBar implements UploadProgress {
        private final PrintStream err;
        private long lastPrint;
        private int lastPercent = -1;

        UploadBar(PrintStream err) {
            this.err = err;
        }

        @Override
        public void sent(long bytes, long total) {
            long now = System.nanoTime();
            int percent = total > 0 ? (int) (bytes * 100 / total) : -1;
            boolean done = total > 0 && bytes >= total;
            if (done ? percent != lastPercent : now - lastPrint > 500_000_000L) {
                lastPrint = now;
                lastPercent = percent;
                err.println("uploading " + (percent >= 0 ? percent + "% " : "") + "(" + bytes + (total > 0 ? "/" + total : "") + " bytes)");
            }
        }
    }
}
