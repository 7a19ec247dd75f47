package io.tessera.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.client.sql.CopySqlClient;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code tessera copy from FILE.csv --table T [--columns a,b]} and {@code tessera copy to FILE.csv --query "…"}:
 * the COPY API, streamed both ways with a progress bar (megabytes and rows) on standard error.
 */
@Command(name = "copy", description = "Bulk-load a CSV file into a table, or bulk-export a query to a file (COPY API).",
        mixinStandardHelpOptions = true, subcommands = {CopyCommand.From.class, CopyCommand.To.class})
public class CopyCommand implements Callable<Integer> {

    @ParentCommand
    TesseraCommand parent;

    @Override
    public Integer call() {
        throw new CliException("copy needs a command: from or to", CliMain.EXIT_USAGE);
    }

    /** Options both directions share. */
    static class Shared {
        @Mixin
        CredentialOptions credentials;

        @Option(names = "--format", paramLabel = "csv|text", defaultValue = "csv",
                description = "COPY format (default: ${DEFAULT-VALUE}).")
        String format;

        @Option(names = "--header", negatable = true, defaultValue = "true", fallbackValue = "true",
                description = "The CSV file has (gets) a header line (default: true).")
        boolean header;

        @Option(names = "--no-progress", description = "Do not draw the progress bar.")
        boolean noProgress;

        String with() {
            if (!format.equals("csv") && !format.equals("text")) {
                throw new CliException("--format must be csv or text", CliMain.EXIT_USAGE);
            }
            return " WITH (FORMAT " + format + (format.equals("csv") && header ? ", HEADER true" : "") + ")";
        }
    }

    /** {@code copy from}. */
    @Command(name = "from", description = "Load FILE into a table through COPY FROM STDIN.", mixinStandardHelpOptions = true)
    static class From implements Callable<Integer> {
        @ParentCommand
        CopyCommand copy;

        @Mixin
        Shared shared;

        @Parameters(index = "0", paramLabel = "FILE")
        Path file;

        @Option(names = {"-t", "--table"}, required = true, paramLabel = "TABLE", description = "Target table (schema.table allowed).")
        String table;

        @Option(names = "--columns", split = ",", paramLabel = "COL", description = "Columns the file fills, in order.")
        List<String> columns = new ArrayList<>();

        @Option(names = "--no-compress", description = "Send the file as is (default: gzip on the wire).")
        boolean noCompress;

        @Override
        public Integer call() throws IOException {
            CliContext ctx = copy.parent.context();
            String cols = columns.isEmpty() ? "" : " (" + String.join(", ", columns.stream().map(CopyCommand::ident).toList()) + ")";
            String sql = "COPY " + qualified(table) + cols + " FROM STDIN" + shared.with();
            CopySqlClient client = new CopySqlClient(copy.parent.authClient(shared.credentials));
            JsonNode result;
            try (InputStream in = Files.newInputStream(file)) {
                if (shared.noProgress) {
                    result = client.copyFrom(sql, in, !noCompress);
                } else {
                    try (CopyProgress p = new CopyProgress("copy from", Files.size(file), ctx.err())) {
                        result = client.copyFrom(sql, p.wrap(in), !noCompress);
                    }
                }
            }
            ctx.out().println(result);
            return CliMain.EXIT_OK;
        }
    }

    /** {@code copy to}. */
    @Command(name = "to", description = "Export a query or a table to FILE through COPY TO STDOUT.",
            mixinStandardHelpOptions = true)
    static class To implements Callable<Integer> {
        @ParentCommand
        CopyCommand copy;

        @Mixin
        Shared shared;

        @Parameters(index = "0", paramLabel = "FILE", description = "Output file, or - for standard output.")
        String file;

        @ArgGroup(multiplicity = "1")
        Source source;

        static class Source {
            @Option(names = {"-q", "--query"}, paramLabel = "SQL", description = "The SELECT to export.")
            String query;

            @Option(names = {"-t", "--table"}, paramLabel = "TABLE", description = "The table to export.")
            String table;
        }

        @Override
        public Integer call() throws IOException {
            CliContext ctx = copy.parent.context();
            String what = source.query != null ? "(" + source.query + ")" : qualified(source.table);
            String sql = "COPY " + what + " TO STDOUT" + shared.with();
            CopySqlClient client = new CopySqlClient(copy.parent.authClient(shared.credentials));
            if (file.equals("-")) {
                OutputStream out = new BufferedOutputStream(ctx.out(), 1 << 16);
                client.copyTo(sql, out);
                out.flush();
                return CliMain.EXIT_OK;
            }
            Path target = Path.of(file).toAbsolutePath();
            Path part = target.resolveSibling(target.getFileName() + ".part");
            boolean done = false;
            long rows;
            try (OutputStream raw = new BufferedOutputStream(Files.newOutputStream(part), 1 << 16)) {
                if (shared.noProgress) {
                    client.copyTo(sql, raw);
                    rows = -1;
                } else {
                    try (CopyProgress p = new CopyProgress("copy to", -1, ctx.err())) {
                        client.copyTo(sql, p.wrap(raw));
                        rows = p.rows();
                    }
                }
                done = true;
            } finally {
                if (!done) {
                    Files.deleteIfExists(part);
                }
            }
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
            ctx.err().println("wrote " + target + (rows >= 0 ? " (" + rows + " lines)" : ""));
            return CliMain.EXIT_OK;
        }
    }

    /** {@code schema.table} → {@code "schema"."table"}. */
    static String qualified(String name) {
        return String.join(".", java.util.Arrays.stream(name.split("\\.", 2)).map(CopyCommand::ident).toList());
    }

    static String ident(String s) {
        return "\"" + s.trim().replace("\"", "\"\"") + "\"";
    }
}
