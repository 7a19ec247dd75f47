package io.tessera.bench.p5;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessera.bench.BenchReport;
import io.tessera.bench.BenchServer;
import io.tessera.bench.ProcessCpu;
import io.tessera.server.admin.DemoData;
import io.tessera.server.auth.User;
import io.tessera.server.db.Platform;
import io.tessera.server.db.RoleConnection;
import io.tessera.server.maps.MapConfig;
import io.tessera.server.maps.MapConfigParser;
import io.tessera.server.maps.MvtQuery;
import io.tessera.server.maps.TileCoord;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * P5: MVT throughput over the committed tile list ({@code p5/tiles.txt}: Natural Earth z2–z8, a generated
 * 1 M-point table z2–z14) against the raw ST_AsMVT statements under pgbench (binding peer, goal ≥ 0.90×),
 * cached tiles per second (goal ≥ 20 000/s for tiles of web-map size, and an UPDATE must show in the next tile), and MapServer 8 under
 * FastCGI serving the point tiles. {@code bin/bench P5 [SECONDS] [CONCURRENCY] [cached]} ({@code cached}: only the
 * cached figures).
 */
public final class P5Bench {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CACHE_PROPERTY = "tessera.maps.tileCacheBytes";
    private static final int SMALL_TILE = 64 * 1024;
    static final Map<String, String> CONFIGS = Map.of(
            "ne", "{\"layers\":[{\"options\":{\"sql\":\"select * from naturalearth_lowres\"}},"
                    + "{\"options\":{\"sql\":\"select * from naturalearth_cities\"}}]}",
            "points", "{\"layers\":[{\"options\":{\"sql\":\"select * from points_1m\"}}]}");

    private record TileRef(String map, int z, int x, int y) {
    }

    private P5Bench() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        int clients = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        boolean cachedOnly = args.length > 2 && args[2].equals("cached"); // quicker loop when working on the cache
        List<TileRef> tiles = tileList();
        BenchReport report = new BenchReport("P5 MVT tiles (" + tiles.size() + " tiles, " + clients + " clients, " + seconds + " s)");
        System.setProperty(CACHE_PROPERTY, "0");
        try (BenchServer drawing = BenchServer.start("p5draw")) {
            Platform platform = drawing.platform();
            DemoData.ensure(platform);
            User demo = platform.accounts().findUserUncached(DemoData.USER).orElseThrow();
            String key = platform.accounts().masterKey(DemoData.USER).orElseThrow();
            makePoints(platform, demo);
            String base = drawing.baseUrl().replace("/user/" + drawing.user().user().username() + "/", "/user/demo/");
            Map<String, String> lgids = instantiate(base, key);
            double pg = Double.NaN;
            if (!cachedOnly) {
                List<String> urls = urls(base, key, lgids, tiles);
                warm(urls);
                TileLoad.Result uncached = TileLoad.run(urls, clients, Duration.ofSeconds(seconds));
                List<String> statements = statements(platform, demo, tiles);
                Path tmp = Files.createTempDirectory("p5");
                pg = PgBenchPeer.tps(io.tessera.bench.BenchServer.peerEndpoint(platform), demo.ownerRole(), platform.rolePassword(demo.ownerRole()),
                        statements, tmp, clients, seconds);
                report.higherIsBetter("MVT drawn (no tile cache) vs raw ST_AsMVT under pgbench -M prepared", uncached.perSecond(),
                        pg, "tiles/s", 0.90);
                report.figure("Tessera JVM CPU per drawn tile (server + load generator)", uncached.jvmCpuMsPerRequest(), "ms");
                report.figure("failed requests (drawn)", uncached.bad(), "");
            }
            cached(report, platform, demo, key, lgids, tiles, clients, seconds, pg);
            if (!cachedOnly && MapServerPeer.available()) {
                List<TileRef> points = tiles.stream().filter(t -> t.map().equals("points")).toList();
                List<String> tessera = urls(base, key, lgids, points);
                Path msDir = Files.createTempDirectory("p5ms");
                try (MapServerPeer ms = MapServerPeer.start(msDir, io.tessera.bench.BenchServer.peerEndpoint(platform), demo.ownerRole(),
                        platform.rolePassword(demo.ownerRole()), demo.schema(), Math.max(2, clients / 2))) {
                    List<String> msUrls = points.stream().map(t -> ms.tileUrl(t.z(), t.x(), t.y())).toList();
                    warm(msUrls);
                    TileLoad.Result mapserver = TileLoad.run(msUrls, clients, Duration.ofSeconds(seconds));
                    TileLoad.Result ours = TileLoad.run(tessera, clients, Duration.ofSeconds(seconds));
                    report.higherIsBetter("point tiles drawn vs MapServer 8 (FastCGI) MVT", ours.perSecond(), mapserver.perSecond(),
                            "tiles/s", 1.0);
                    report.figure("failed requests (MapServer)", mapserver.bad(), "");
                }
            } else if (!cachedOnly) {
                System.out.println("P5 | MapServer peer skipped: cgi-mapserver or lighttpd not installed");
            }
        }
    }

    /**
     * Cached tiles on a server of their own (2 GiB of cache: low-zoom tiles of the 1 M points are megabytes each, so
     * the whole list is bound by bytes, not by requests): the whole list, z9-z14, and the tiles of at most
     * {@value #SMALL_TILE} bytes (what web maps aim for) where the cost per request shows.
     */
    private static void cached(BenchReport report, Platform platform, User demo, String key, Map<String, String> lgids,
                               List<TileRef> tiles, int clients, int seconds, double pg) throws Exception {
        System.setProperty(CACHE_PROPERTY, Long.toString(2L << 30));
        try (BenchServer cachedServer = BenchServer.start("p5cache")) {
            String cbase = cachedServer.baseUrl().replace("/user/" + cachedServer.user().user().username() + "/", "/user/demo/");
            List<String> curls = urls(cbase, key, lgids, tiles);
            int[] sizes = warm(curls);
            int[] sorted = sizes.clone();
            Arrays.sort(sorted);
            System.out.printf("P5 | tile sizes: median %.1f KB, mean %.1f KB, largest %.1f MB%n", sorted[sorted.length / 2] / 1e3,
                    Arrays.stream(sizes).average().orElse(0) / 1e3, sorted[sorted.length - 1] / 1e6);
            TileLoad.Result cached = TileLoad.run(curls, clients, Duration.ofSeconds(seconds));
            if (!Double.isNaN(pg)) {
                report.higherIsBetter("MVT from the tile cache vs raw ST_AsMVT under pgbench", cached.perSecond(), pg, "tiles/s", 1.0);
            }
            report.figure("cached tiles per second, whole list", cached.perSecond(), "tiles/s");
            report.figure("cached tile bytes per second, whole list", cached.megabytesPerSecond(), "MB/s");
            List<String> deep = new ArrayList<>();
            List<String> small = new ArrayList<>();
            for (int i = 0; i < tiles.size(); i++) {
                if (tiles.get(i).z() >= 9) {
                    deep.add(curls.get(i));
                }
                if (sizes[i] <= SMALL_TILE) {
                    small.add(curls.get(i));
                }
            }
            TileLoad.Result cachedDeep = TileLoad.run(deep, clients, Duration.ofSeconds(seconds));
            report.figure("cached tiles per second, z9-z14 (" + deep.size() + " tiles)", cachedDeep.perSecond(), "tiles/s");
            TileLoad.Result cachedSmall = TileLoad.run(small, clients, Duration.ofSeconds(seconds));
            report.figure("cached tiles per second, tiles <= 64 KB (" + small.size() + " tiles; goal >= 20000)",
                    cachedSmall.perSecond(), "tiles/s");
            report.figure("Tessera JVM CPU per cached tile <= 64 KB (server + load generator)", cachedSmall.jvmCpuMsPerRequest(), "ms");
            WrkTiles.Result w = WrkTiles.run(small, clients, seconds, new ProcessCpu(cachedServer.postmasterPid()));
            report.figure("cached tiles per second, tiles <= 64 KB under wrk (goal >= 20000)", w.perSecond(), "tiles/s");
            report.figure("  server CPU per cached tile under wrk (JVM + PostgreSQL)", w.serverCpuMicros(), "µs");
            report.figure("    of which PostgreSQL (validation rounds)", w.postgresCpuMicros(), "µs");
            report.figure("  HTTP floor of the same server: GET /api/v1/version under wrk", w.floorPerSecond(), "req/s");
            report.figure("failed requests (cached)", cached.bad() + cachedDeep.bad() + cachedSmall.bad(), "");
            report.figure("stale tiles served after an UPDATE (must be 0)", staleAfterUpdate(platform, demo, cbase, key, lgids), "");
        }
    }

    private static List<TileRef> tileList() throws Exception {
        List<TileRef> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                P5Bench.class.getResourceAsStream("/p5/tiles.txt"), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] p = line.split("[ /]");
                out.add(new TileRef(p[0], Integer.parseInt(p[1]), Integer.parseInt(p[2]), Integer.parseInt(p[3])));
            }
        }
        return out;
    }

    /**
     * 1 M points, 70 % in four city clusters and 30 % spread over the world; change-tracked like a cartodbfied table.
     * P6 draws the same table.
     */
    public static void makePoints(Platform platform, User demo) throws Exception {
        try (RoleConnection c = platform.pools().connect(demo.ownerRole()); Statement s = c.jdbc().createStatement()) {
            s.execute("SET statement_timeout = 0");
            s.execute("SELECT setseed(0.42)");
            s.execute("""
                    CREATE TABLE points_1m AS
                    SELECT i::bigint AS cartodb_id, (i % 10)::int AS category,
                           ST_Transform(ST_SetSRID(ST_MakePoint(lon, lat), 4326), 3857) AS the_geom_webmercator
                      FROM (SELECT i,
                              CASE WHEN i % 10 < 7 THEN c.lon + 0.5 * sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random())
                                   ELSE -180 + 360 * random() END AS lon,
                              CASE WHEN i % 10 < 7 THEN c.lat + 0.5 * sqrt(-2 * ln(1 - random())) * sin(2 * pi() * random())
                                   ELSE -80 + 160 * random() END AS lat
                              FROM generate_series(1, 1000000) AS i
                              JOIN (VALUES (0, 2.35, 48.85), (1, 13.40, 52.52), (2, -3.70, 40.42), (3, 12.50, 41.90))
                                   AS c(k, lon, lat) ON c.k = i % 4) AS s""");
            s.execute("ALTER TABLE points_1m ADD PRIMARY KEY (cartodb_id)");
            s.execute("CREATE INDEX ON points_1m USING gist (the_geom_webmercator)");
            s.execute("CREATE TRIGGER track_updates AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON points_1m "
                    + "FOR EACH STATEMENT EXECUTE FUNCTION cartodb.cdb_tablemetadata_trigger()");
            s.execute("SELECT CDB_TableMetadataTouch('points_1m')");
            s.execute("ANALYZE points_1m");
        }
    }

    private static Map<String, String> instantiate(String base, String key) throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        HttpClient http = HttpClient.newHttpClient();
        for (var e : CONFIGS.entrySet()) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "api/v1/map?api_key=" + key))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(e.getValue())).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("instantiation failed: " + r.body());
            }
            out.put(e.getKey(), JSON.readTree(r.body()).get("layergroupid").asText());
        }
        return out;
    }

    private static List<String> urls(String base, String key, Map<String, String> lgids, List<TileRef> tiles) {
        return tiles.stream().map(t -> base + "api/v1/map/" + lgids.get(t.map()) + "/" + t.z() + "/" + t.x() + "/" + t.y()
                + ".mvt?api_key=" + key).toList();
    }

    /** Requests every URL once; returns the body sizes. */
    private static int[] warm(List<String> urls) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        int[] statuses = new int[600];
        int[] sizes = new int[urls.size()];
        for (int i = 0; i < urls.size(); i++) {
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(urls.get(i))).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            statuses[r.statusCode()]++;
            sizes[i] = r.body().length;
        }
        if (Arrays.stream(statuses, 300, 600).sum() > 0) {
            throw new IllegalStateException("tile errors while warming up: " + urls.get(0));
        }
        System.out.println("P5 | warm-up: " + statuses[200] + " tiles with data, " + statuses[204] + " empty");
        return sizes;
    }

    private static List<String> statements(Platform platform, User demo, List<TileRef> tiles) throws Exception {
        Map<String, MapConfig> configs = new LinkedHashMap<>();
        CONFIGS.forEach((k, v) -> {
            try {
                configs.put(k, MapConfigParser.parse(JSON.readTree(v)));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        List<String> out = new ArrayList<>();
        try (RoleConnection c = platform.pools().connect(demo.ownerRole())) {
            for (TileRef t : tiles) {
                out.add(MvtQuery.statementFor(c.jdbc(), configs.get(t.map()), new TileCoord(t.z(), t.x(), t.y())));
            }
        }
        return out;
    }

    /** Fetches a cached point tile, moves a point in it through SQL, fetches again: 1 if the old bytes came back. */
    private static int staleAfterUpdate(Platform platform, User demo, String base, String key, Map<String, String> lgids)
            throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String url = base + "api/v1/map/" + lgids.get("points") + "/14/8298/5637.mvt?api_key=" + key;
        byte[] before = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray()).body();
        try (RoleConnection c = platform.pools().connect(demo.ownerRole()); Statement s = c.jdbc().createStatement()) {
            s.execute("UPDATE points_1m SET category = category + 100 WHERE cartodb_id = (SELECT cartodb_id FROM points_1m "
                    + "WHERE the_geom_webmercator && ST_TileEnvelope(14, 8298, 5637) LIMIT 1)");
        }
        byte[] after = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray()).body();
        return Arrays.equals(before, after) ? 1 : 0;
    }
}
