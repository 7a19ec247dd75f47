package io.tessera.bench.p4;

import io.tessera.bench.BenchReport;
import io.tessera.bench.BenchServer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * P4: a generated 1M-row lat/lon CSV through the Import API (upload + import until {@code complete}) against
 * ogr2ogr loading the same file into PostGIS with CARTO's options plus the same CDB_CartodbfyTable. Goal:
 * ≤ 1.0× ogr2ogr's time, server heap bounded. {@code bin/bench P4 [ROWS]}; run with a small heap
 * ({@code TESSERA_BENCH_JAVA_OPTS=-Xmx256m}) to show memory stays flat.
 */
public final class P4Bench {
    private P4Bench() {
    }

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        Path dir = Files.createTempDirectory("p4");
        Path csv = ImportRun.generate(rows, dir);
        try (BenchServer server = BenchServer.start("p4")) {
            ImportRun.viaApi(server, ImportRun.generate(1000, dir)); // warm-up (JIT, pools)
            double peer = ImportRun.viaOgr2ogr(server, csv, "peer_points");
            ImportRun.Result tessera = ImportRun.viaApi(server, csv);
            BenchReport report = new BenchReport("P4 import " + rows + " rows (" + Files.size(csv) / (1 << 20) + " MB CSV)");
            report.lowerIsBetter("wall time, upload to complete vs ogr2ogr + cartodbfy", tessera.seconds(), peer, "s", 1.0);
            report.figure("rows per second", rows / tessera.seconds(), "rows/s");
            report.figure("JVM peak heap during the import (server + client)", tessera.peakHeapBytes() / 1048576.0, "MiB");
            report.figure("max heap", Runtime.getRuntime().maxMemory() / 1048576.0, "MiB");
        } finally {
            Files.deleteIfExists(csv);
        }
    }
}
