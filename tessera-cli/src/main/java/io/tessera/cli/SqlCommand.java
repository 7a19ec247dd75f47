package io.tessera.cli;

import io.tessera.client.sql.SqlClient;
import io.tessera.client.sql.SqlOptions;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code tessera sql "SELECT …" [--format FORMAT] [-o FILE]}: runs SQL through the SQL API and streams the answer,
 * unchanged, to standard output or a file. An error the server appends after streaming began is detected and
 * reported with a non-zero exit code. Binary formats (shp, gpkg, spatialite, arraybuffer) go to a file or a pipe, never to a
 * terminal.
 */
@Command(name = "sql", description = "Run SQL through the SQL API and stream the answer to stdout or a file.",
        mixinStandardHelpOptions = true)
public class SqlCommand implements Callable<Integer> {

    @ParentCommand
    TesseraCommand parent;

    @Mixin
    CredentialOptions credentials;

    @Parameters(index = "0", paramLabel = "SQL", description = "The SQL text, or - to read it from standard input.")
    String sql;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "json",
            description = "json, csv, geojson, topojson, svg, arraybuffer, kml, shp (zip), gpkg or spatialite "
                    + "(default: ${DEFAULT-VALUE}). Binary formats need -o FILE when stdout is a terminal.")
    SqlFormat format;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "Write the answer to FILE (replaced only when the query succeeds) instead of stdout.")
    Path output;

    @Option(names = "--param", paramLabel = "NAME=VALUE",
            description = "Another SQL API parameter, e.g. --param skipfields=the_geom; repeatable.")
    Map<String, String> params = new LinkedHashMap<>();

    @Override
    public Integer call() throws IOException {
        CliContext ctx = parent.context();
        String text = sql.equals("-") ? new String(ctx.in().readAllBytes(), StandardCharsets.UTF_8) : sql;
        if (text.isBlank()) {
            throw new CliException("no SQL given");
        }
        if (output == null && format.binary() && ctx.terminal()) {
            throw new CliException("--format " + format.param() + " is binary: write it to a file with -o FILE "
                    + "(or redirect standard output)");
        }
        SqlClient client = new SqlClient(parent.authClient(credentials));
        SqlOptions options = options();
        if (output == null) {
            OutputStream out = new BufferedOutputStream(ctx.out(), 1 << 16);
            try {
                ResponseCopier.copy(client.openStream(text, options), out, format);
            } finally {
                // Also on failure: the rows that did arrive belong on stdout, followed by the error on stderr.
                out.flush();
            }
        } else {
            toFile(client, text, options);
        }
        return CliMain.EXIT_OK;
    }

    /** The request options: {@code format} only when not the server's default, so the wire matches carto-python. */
    SqlOptions options() {
        SqlOptions o = SqlOptions.defaults().withParams(params);
        return format == SqlFormat.JSON ? o : o.withFormat(format.param());
    }

    /**
     * Streams into {@code FILE.part} and renames it on success, so a failed query never leaves a truncated file
     * where a good one is expected (nor replaces a previous good one).
     */
    private void toFile(SqlClient client, String text, SqlOptions options) throws IOException {
        Path target = output.toAbsolutePath();
        Path part = target.resolveSibling(target.getFileName() + ".part");
        OutputStream file;
        try {
            // Opened before the query runs: an unwritable destination should not cost a (possibly writing) query.
            file = Files.newOutputStream(part);
        } catch (IOException e) {
            throw new CliException("cannot write " + part + ": " + e.getMessage(), CliMain.EXIT_FAILURE);
        }
        boolean done = false;
        try {
            try (OutputStream out = new BufferedOutputStream(file, 1 << 16)) {
                ResponseCopier.copy(client.openStream(text, options), out, format);
            }
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
            done = true;
        } finally {
            if (!done) {
                Files.deleteIfExists(part);
            }
        }
    }
}
