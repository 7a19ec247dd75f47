package io.tessera.bench.p2;

import io.tessera.bench.BenchReport;
import io.tessera.bench.BenchServer;
import io.tessera.bench.Tools;
import io.tessera.client.auth.ApiKeyAuthClient;
import io.tessera.client.sql.SqlClient;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * P2: exporting 1M rows through the SQL API as JSON, CSV and GeoJSON (curl, body counted and thrown away)
 * against {@code psql -c "COPY (…) TO STDOUT"} of the same rows as the same role on the same cluster: for
 * JSON the plain {@code SELECT *}, for CSV the very COPY statement the CSV export runs, for GeoJSON the same
 * {@code ST_AsGeoJSON} query. Goal: ≤ 1.25× the peer's time. The server runs in this JVM; its live heap (what
 * survives collections) is sampled during each export: flat means its peak does not grow with the rows.
 *
 * <p>Arguments: {@code [rows, default 1000000] [runs per figure, best kept, default 2] [untimed warm-up exports per format, default 5]}.
 */
public final class P2Bench {
    private P2Bench() {
    }

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int warmups = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        try (BenchServer bench = BenchServer.start("p2", 3_600_000)) {
            SqlClient sql = new SqlClient(new ApiKeyAuthClient(bench.baseUrl(), bench.user().masterKey()));
            sql.send("CREATE TABLE big AS SELECT i AS cartodb_id, 'place ' || i AS name, (i % 1000)::int AS value,"
                    + " timestamptz '2020-01-01' + i * interval '1 minute' AS seen,"
                    + " ST_SetSRID(ST_MakePoint(random() * 360 - 180, random() * 170 - 85), 4326) AS the_geom"
                    + " FROM generate_series(1, " + rows + ") i");
            // Settled before timing: otherwise autovacuum works through the new table (and the first reads set its
            // hint bits) during whichever format runs first.
            sql.send("VACUUM (FREEZE, ANALYZE) big");
            String select = "SELECT * FROM big";
            String csvCopy = "COPY (SELECT \"the_geom\"::text AS \"the_geom\", \"cartodb_id\"::text AS \"cartodb_id\","
                    + " \"name\"::text AS \"name\", \"value\"::text AS \"value\", \"seen\"::text AS \"seen\""
                    + " FROM (" + select + ") AS _cartodbsqlapi) TO STDOUT WITH (FORMAT csv, HEADER true)";
            String[][] cases = {
                {"json", "COPY (" + select + ") TO STDOUT"},
                {"csv", csvCopy},
                {"geojson", "COPY (SELECT *, ST_AsGeoJSON(the_geom, 6) AS g FROM (" + select + ") AS foo) TO STDOUT"},
            };
            BenchReport report = new BenchReport("P2 export of " + rows + " rows (best of " + runs + ")");
            report.figure("JVM max heap", Runtime.getRuntime().maxMemory() / 1048576.0, "MiB");
            for (String[] c : cases) {
                String url = bench.baseUrl() + "api/v2/sql?api_key=" + bench.user().masterKey() + "&format=" + c[0]
                        + "&q=" + URLEncoder.encode(select, StandardCharsets.UTF_8);
                double tessera = Double.MAX_VALUE;
                double peer = Double.MAX_VALUE;
                long peak = 0;
                long bytes = 0;
                long peerBytes = 0;
                // Untimed exports first, as P1 warms up for 20 s: a server runs warm, and the JIT takes several 1M-row
                // exports to settle (on this machine: 1.5 s, then 0.73-0.89 s, then 0.66 s by the tenth).
                for (int w = 0; w < warmups; w++) {
                    Tools.run(List.of("bash", "-c", "curl -sS --fail '" + url + "' | wc -c"), Map.of());
                }
                for (int r = 0; r < runs; r++) {
                    System.gc();
                    long base = liveAfterGc();
                    AtomicLong max = new AtomicLong(base);
                    Thread sampler = Thread.ofPlatform().daemon().start(() -> {
                        while (!Thread.currentThread().isInterrupted()) {
                            max.accumulateAndGet(liveAfterGc(), Math::max);
                            try {
                                Thread.sleep(20);
                            } catch (InterruptedException e) {
                                return;
                            }
                        }
                    });
                    long t0 = System.nanoTime();
                    String out = Tools.run(List.of("bash", "-c", "curl -sS --fail '" + url + "' | wc -c"), Map.of());
                    tessera = Math.min(tessera, (System.nanoTime() - t0) / 1e9);
                    sampler.interrupt();
                    sampler.join();
                    peak = Math.max(peak, max.get() - base);
                    bytes = Long.parseLong(out.strip());

                    t0 = System.nanoTime();
                    String p = Tools.run(List.of("bash", "-c", "psql -X -q -v ON_ERROR_STOP=1 -c \"$P2_COPY\" | wc -c"),
                            withCopy(bench.ownerEnv(), c[1]));
                    peer = Math.min(peer, (System.nanoTime() - t0) / 1e9);
                    peerBytes = Long.parseLong(p.strip());
                }
                report.lowerIsBetter(c[0] + " export time (vs psql COPY)", tessera, peer, "s", 1.25);
                report.figure(c[0] + " bytes sent: tessera / psql", bytes / 1048576.0, "MiB, psql " + Math.round(peerBytes / 1048576.0) + " MiB");
                report.figure(c[0] + " peak live heap (after GC) above idle during the export", peak / 1048576.0, "MiB");
            }
        }
    }

    /** Heap that survived the latest collections (what the server holds, not garbage awaiting a young GC). */
    private static long liveAfterGc() {
        long live = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null) {
                live += pool.getCollectionUsage().getUsed();
            }
        }
        return live;
    }

    private static Map<String, String> withCopy(Map<String, String> env, String copy) {
        var m = new java.util.HashMap<>(env);
        m.put("P2_COPY", copy);
        return m;
    }
}
