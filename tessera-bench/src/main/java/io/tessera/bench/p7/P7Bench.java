package io.tessera.bench.p7;

import io.tessera.bench.BenchReport;
import io.tessera.bench.BenchServer;
import io.tessera.bench.p4.ImportRun;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * P7: the P4 import at 10M rows (the size CARTO users report never finishing): it must complete, show progress
 * in the import status while it runs, and take ≤ 10.5× the 1M-row time measured in the same run.
 * {@code bin/bench P7 [ROWS]}.
 */
public final class P7Bench {
    private P7Bench() {
    }

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 10_000_000;
        Path dir = Files.createTempDirectory("p7");
        try (BenchServer server = BenchServer.start("p7")) {
            Path small = ImportRun.generate(rows / 10, dir);
            ImportRun.viaApi(server, ImportRun.generate(1000, dir)); // warm-up
            ImportRun.Result base = ImportRun.viaApi(server, small);
            Files.delete(small);
            Path big = ImportRun.generate(rows, dir);
            long mb = Files.size(big) / (1 << 20);
            ImportRun.Result r = ImportRun.viaApi(server, big);
            Files.delete(big);
            BenchReport report = new BenchReport("P7 import " + rows + " rows (" + mb + " MB CSV)");
            report.lowerIsBetter("wall time vs the " + rows / 10 + "-row import", r.seconds(), base.seconds(), "s", 10.5);
            report.figure("rows per second", rows / r.seconds(), "rows/s");
            report.figure("distinct progress readings while importing", r.progress().size(), "readings");
            report.figure("last progress reading before complete", r.progress().isEmpty() ? 0 : r.progress().last(), "rows");
            report.figure("JVM peak heap during the import (server + client)", r.peakHeapBytes() / 1048576.0, "MiB");
        }
    }
}
