package io.tessera.bench.p4;

import io.tessera.bench.BenchServer;
import io.tessera.client.auth.ApiKeyAuthClient;
import io.tessera.client.imports.FileImportJob;
import io.tessera.client.imports.FileImportJobManager;
import io.tessera.client.imports.ImportSource;
import io.tessera.server.auth.User;
import io.tessera.server.db.DatabaseEndpoint;
import io.tessera.server.db.RoleConnection;
import java.io.BufferedWriter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * The import benchmarks' shared steps: generate a lat/lon CSV of N rows, import it through the Import API until
 * {@code complete} (upload included), and load the same file with ogr2ogr using CARTO's options followed by the
 * same CDB_CartodbfyTable, as the user's own role.
 */
public final class ImportRun {
    /** One Tessera import: wall seconds, the distinct row counts the status showed while it ran, peak heap. */
    public record Result(double seconds, TreeSet<Long> progress, long peakHeapBytes) {
    }

    private ImportRun() {
    }

    public static Path generate(int rows, Path dir) throws IOException {
        Path f = dir.resolve("points_" + rows + ".csv");
        SplittableRandom r = new SplittableRandom(42);
        String[] categories = {"alpha", "beta", "gamma", "delta", "epsilon"};
        try (BufferedWriter w = Files.newBufferedWriter(f, StandardCharsets.UTF_8)) {
            w.write("id,name,category,value,observed,latitude,longitude\n");
            for (int i = 1; i <= rows; i++) {
                w.write(i + ",place " + i + "," + categories[i % 5] + "," + (r.nextInt(1_000_000) / 100.0) + ",2024-0"
                        + (1 + i % 9) + "-1" + (i % 9) + "," + (r.nextDouble(-85, 85)) + "," + (r.nextDouble(-180, 180)) + "\n");
            }
        }
        return f;
    }

    public static Result viaApi(BenchServer server, Path csv) {
        ApiKeyAuthClient auth = new ApiKeyAuthClient(server.baseUrl(), server.user().masterKey());
        TreeSet<Long> progress = new TreeSet<>();
        resetPeaks();
        long start = System.nanoTime();
        FileImportJob job = new FileImportJobManager(auth).create(ImportSource.of(csv), Map.of())
                .await(Duration.ofHours(2), Duration.ofMillis(250), j -> {
                    if (j.state().equals("importing") && j.rows() > 0) {
                        progress.add(j.rows());
                    }
                });
        double seconds = (System.nanoTime() - start) / 1e9;
        if (!job.success().orElse(false)) {
            throw new IllegalStateException("import failed: " + job.fields());
        }
        return new Result(seconds, progress, peakHeap());
    }

    public static double viaOgr2ogr(BenchServer server, Path csv, String table) throws Exception {
        User u = server.user().user();
        DatabaseEndpoint db = server.platform().endpoint();
        long start = System.nanoTime();
        ProcessBuilder pb = new ProcessBuilder(List.of("ogr2ogr", "-f", "PostgreSQL",
                "PG:host=" + db.host() + " port=" + db.port() + " dbname=" + db.database() + " user=" + u.ownerRole(),
                csv.toString(), "-nln", table, "-lco", "SCHEMA=" + u.schema(), "-lco", "GEOMETRY_NAME=the_geom",
                "-lco", "PRECISION=NO", "-oo", "AUTODETECT_TYPE=YES", "-oo", "QUOTED_FIELDS_AS_STRING=NO",
                "-oo", "X_POSSIBLE_NAMES=longitude,lon,lng,longitudedecimal,longitud,long,decimallongitude,decimallong,point_longitude",
                "-oo", "Y_POSSIBLE_NAMES=latitude,lat,latitudedecimal,latitud,lati,decimallatitude,decimallat,point_latitude",
                "-s_srs", "EPSG:4326", "-t_srs", "EPSG:4326")).inheritIO();
        pb.environment().put("PGPASSWORD", server.platform().rolePassword(u.ownerRole()));
        pb.environment().put("PGOPTIONS", "-c statement_timeout=0");
        pb.environment().put("PG_USE_COPY", "YES");
        int exit = pb.start().waitFor();
        if (exit != 0) {
            throw new IllegalStateException("ogr2ogr failed: " + exit);
        }
        try (RoleConnection c = server.platform().pools().connect(u.ownerRole()); Statement s = c.jdbc().createStatement()) {
            s.execute("SET statement_timeout = 0");
            s.execute("SELECT cartodb.cdb_cartodbfytable('" + u.schema() + "', '\"" + u.schema() + "\"." + table + "'::regclass)");
            s.execute("ANALYZE \"" + u.schema() + "\"." + table);
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private static void resetPeaks() {
        System.gc();
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            p.resetPeakUsage();
        }
    }

    private static long peakHeap() {
        long sum = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                sum += p.getPeakUsage().getUsed();
            }
        }
        return sum;
    }
}
