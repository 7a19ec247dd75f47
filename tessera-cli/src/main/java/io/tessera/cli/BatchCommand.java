package io.tessera.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.client.sql.BatchSqlClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code tessera batch run FILE.sql [--wait]}, {@code tessera batch status ID}, {@code tessera batch cancel ID}:
 * the Batch SQL API. Each prints the job's JSON (cancel prints the status); {@code run --wait} polls until the job
 * ends and exits non-zero unless it is {@code done}.
 */
@Command(name = "batch", description = "Run SQL as Batch API jobs (master key), follow and cancel them.",
        mixinStandardHelpOptions = true, subcommands = {BatchCommand.Run.class, BatchCommand.Status.class,
            BatchCommand.Cancel.class})
public class BatchCommand implements Callable<Integer> {

    @ParentCommand
    TesseraCommand parent;

    @Override
    public Integer call() {
        throw new CliException("batch needs a command: run, status or cancel", CliMain.EXIT_USAGE);
    }

    BatchSqlClient client(CredentialOptions credentials) {
        return new BatchSqlClient(parent.authClient(credentials));
    }

    /** {@code batch run}. */
    @Command(name = "run", description = "Create a job from a SQL file (- for standard input).", mixinStandardHelpOptions = true)
    static class Run implements Callable<Integer> {
        @ParentCommand
        BatchCommand batch;

        @Mixin
        CredentialOptions credentials;

        @Parameters(index = "0", paramLabel = "FILE.sql", description = "The SQL to run, or - to read standard input.")
        String file;

        @Option(names = "--wait", description = "Wait until the job ends; exit 1 unless it is done.")
        boolean await;

        @Option(names = "--interval", paramLabel = "SECONDS", defaultValue = "2",
                description = "Seconds between status checks with --wait (default: ${DEFAULT-VALUE}).")
        double interval;

        @Override
        public Integer call() throws IOException {
            CliContext ctx = batch.parent.context();
            String sql = file.equals("-") ? new String(ctx.in().readAllBytes(), StandardCharsets.UTF_8)
                    : Files.readString(Path.of(file));
            if (sql.isBlank()) {
                throw new CliException("no SQL given");
            }
            BatchSqlClient client = batch.client(credentials);
            JsonNode job = client.create(sql);
            if (!await) {
                ctx.out().println(job);
                return CliMain.EXIT_OK;
            }
            ctx.err().println("job " + job.path("job_id").asText() + " " + job.path("status").asText());
            JsonNode end = client.waitForCompletion(job.path("job_id").asText(), Duration.ofMillis((long) (interval * 1000)));
            ctx.out().println(end);
            return CliMain.EXIT_OK;
        }
    }

    /** A subcommand about one job: prints what {@link #answer} gives for it. */
    abstract static class OneJob implements Callable<Integer> {
        @ParentCommand
        BatchCommand batch;

        @Mixin
        CredentialOptions credentials;

        @Parameters(index = "0", paramLabel = "JOB_ID")
        String id;

        abstract Object answer(BatchSqlClient client, String jobId);

        @Override
        public Integer call() {
            batch.parent.context().out().println(answer(batch.client(credentials), id));
            return CliMain.EXIT_OK;
        }
    }

    /** {@code batch status}. */
    @Command(name = "status", description = "Print a job's JSON.", mixinStandardHelpOptions = true)
    static class Status extends OneJob {
        @Override
        Object answer(BatchSqlClient client, String jobId) {
            return client.read(jobId);
        }
    }

    /** {@code batch cancel}. */
    @Command(name = "cancel", description = "Cancel a job; prints its status (a finished job keeps its own).",
            mixinStandardHelpOptions = true)
    static class Cancel extends OneJob {
        @Override
        Object answer(BatchSqlClient client, String jobId) {
            return client.cancel(jobId);
        }
    }
}
