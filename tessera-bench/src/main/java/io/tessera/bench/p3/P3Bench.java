package io.tessera.bench.p3;

import io.tessera.bench.BenchReport;
import io.tessera.bench.BenchServer;
import io.tessera.client.auth.ApiKeyAuthClient;
import io.tessera.client.sql.CopySqlClient;
import io.tessera.client.sql.SqlClient;
import io.tessera.server.db.DatabaseEndpoint;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * P3: bulk data through the COPY API against {@code psql} on the same cluster, same table, same file, gzip off on
 * both sides. COPY FROM loads a CSV of N points with a few attributes ({@code \copy} as the user's own role is the
 * peer); COPY TO exports the same rows ({@code psql -c "COPY … TO STDOUT"} into /dev/null is the peer). Runs
 * alternate and the median of each side is reported. {@code bin/bench P3 [ROWS] [RUNS]} (default 1000000 and 3).
 */
public final class P3Bench {
    private static final String TABLE = "p3_points";
    private static final String DDL = "CREATE TABLE " + TABLE + " (id int PRIMARY KEY, name text, category text, "
            + "value float8, created date, the_geom geometry(Point, 4326))";
    private static final String COPY_FROM = "COPY " + TABLE + " (id, name, category, value, created, the_geom) "
            + "FROM STDIN WITH (FORMAT csv, HEADER true)";
    private static final String COPY_TO = "COPY (SELECT id, name, category, value, created, the_geom FROM " + TABLE
            + " ORDER BY id) TO STDOUT WITH (FORMAT csv, HEADER true)";

    private P3Bench() {
    }

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path dir = Files.createTempDirectory("tessera-p3");
        Path csv = dir.resolve("points.csv");
        writeCsv(csv, rows);
        double mb = Files.size(csv) / 1e6;
        try (BenchServer bench = BenchServer.start("p3")) {
            String role = bench.user().user().ownerRole();
            ApiKeyAuthClient auth = new ApiKeyAuthClient(bench.baseUrl(), bench.user().masterKey());
            SqlClient sql = new SqlClient(auth);
            CopySqlClient copy = new CopySqlClient(auth);
            Psql psql = new Psql(io.tessera.bench.BenchServer.peerEndpoint(bench.platform()), role, bench.platform().rolePassword(role));
            sql.send(DDL);

            List<Double> apiFrom = new ArrayList<>();
            List<Double> peerFrom = new ArrayList<>();
            List<Double> apiCpu = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                sql.send("TRUNCATE " + TABLE);
                long cpu0 = cpuNanos();
                long t0 = System.nanoTime();
                long copied = copy.copyFrom(COPY_FROM, csv, false).path("total_rows").asLong();
                apiFrom.add(seconds(t0));
                apiCpu.add((cpuNanos() - cpu0) / 1e9);
                check(copied, rows);
                sql.send("TRUNCATE " + TABLE);
                t0 = System.nanoTime();
                psql.run("\\copy " + TABLE + " (id, name, category, value, created, the_geom) FROM '" + csv
                        + "' WITH (FORMAT csv, HEADER true)");
                peerFrom.add(seconds(t0));
            }
            List<Double> apiTo = new ArrayList<>();
            List<Double> curlTo = new ArrayList<>();
            List<Double> peerTo = new ArrayList<>();
            long exported = 0;
            for (int i = 0; i < runs; i++) {
                long t0 = System.nanoTime();
                try (InputStream in = copy.copyToStream(COPY_TO, false)) {
                    exported = in.transferTo(java.io.OutputStream.nullOutputStream());
                }
                apiTo.add(seconds(t0));
                t0 = System.nanoTime();
                curl(bench.baseUrl() + "api/v2/sql/copyto?q=" + java.net.URLEncoder.encode(COPY_TO, StandardCharsets.UTF_8),
                        bench.user().masterKey());
                curlTo.add(seconds(t0));
                t0 = System.nanoTime();
                psql.run(COPY_TO);
                peerTo.add(seconds(t0));
            }
            BenchReport report = new BenchReport("P3");
            report.figure("rows", rows, "rows");
            report.figure("CSV file", mb, "MB");
            report.higherIsBetter("COPY FROM throughput", rows / median(apiFrom), rows / median(peerFrom), "rows/s", 0.90);
            report.higherIsBetter("COPY FROM throughput", mb / median(apiFrom), mb / median(peerFrom), "MB/s", 0.90);
            report.figure("COPY FROM JVM CPU per run (server + SDK client)", median(apiCpu), "s");
            report.higherIsBetter("COPY TO throughput", rows / median(apiTo), rows / median(peerTo), "rows/s", 0.90);
            report.higherIsBetter("COPY TO throughput", exported / 1e6 / median(apiTo), exported / 1e6 / median(peerTo), "MB/s", 0.90);
            report.higherIsBetter("COPY TO throughput, curl as the client", rows / median(curlTo), rows / median(peerTo), "rows/s", 0.90);
            System.out.printf(Locale.ROOT, "P3 | runs (s): from api %s psql %s; to api %s curl %s psql %s%n", apiFrom, peerFrom,
                    apiTo, curlTo, peerTo);
        } finally {
            Files.deleteIfExists(csv);
            Files.deleteIfExists(dir);
        }
    }

    /** Points with a few attributes; the geometry as EWKT, which PostGIS parses on input. */
    private static void writeCsv(Path csv, int rows) throws IOException {
        Random r = new Random(42);
        String[] categories = {"school", "park", "shop", "station", "hospital"};
        try (BufferedWriter w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
            w.write("id,name,category,value,created,the_geom\n");
            for (int i = 1; i <= rows; i++) {
                w.write(String.format(Locale.ROOT, "%d,place %d,%s,%.3f,2024-%02d-%02d,SRID=4326;POINT(%.6f %.6f)%n", i, i,
                        categories[i % categories.length], r.nextDouble() * 1000, 1 + i % 12, 1 + i % 28,
                        r.nextDouble() * 360 - 180, r.nextDouble() * 170 - 85));
            }
        }
    }

    private static void check(long copied, int rows) {
        if (copied != rows) {
            throw new IllegalStateException("copied " + copied + " rows, expected " + rows);
        }
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    private static long cpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L);
    }

    private static double median(List<Double> xs) {
        double[] a = xs.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(a);
        return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    }

    /** curl into /dev/null, the key in a header file-free Basic auth read from stdin-less config (not argv). */
    private static void curl(String url, String key) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("curl", "-sS", "--fail", "-o", "/dev/null", "-K", "-", url)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (var w = p.getOutputStream()) {
            // The key goes through curl's config on stdin, never argv.
            w.write(("header = \"Authorization: Basic " + java.util.Base64.getEncoder().encodeToString(
                    (urlUser(url) + ":" + key).getBytes(StandardCharsets.UTF_8)) + "\"\n").getBytes(StandardCharsets.UTF_8));
        }
        if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException("curl failed");
        }
    }

    private static String urlUser(String url) {
        String rest = url.substring(url.indexOf("/user/") + 6);
        return rest.substring(0, rest.indexOf('/'));
    }

    /** psql as the user's own role; the password goes through the environment, never argv. */
    private record Psql(DatabaseEndpoint db, String role, String password) {
        void run(String command) throws IOException, InterruptedException {
            ProcessBuilder pb = new ProcessBuilder("psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", db.host(),
                    "-p", Integer.toString(db.port()), "-U", role, "-d", db.database(), "-c", command)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.INHERIT);
            Map<String, String> env = pb.environment();
            env.put("PGPASSWORD", password);
            Process p = pb.start();
            if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IllegalStateException("psql failed: " + command);
            }
        }
    }
}
