package io.tessera.bench.p6;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessera.bench.BenchReport;
import io.tessera.bench.BenchServer;
import io.tessera.bench.p5.P5Bench;
import io.tessera.server.admin.DemoData;
import io.tessera.server.auth.User;
import io.tessera.server.db.Platform;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;

/**
 * P6: PNG tile time against MVT time for the same tiles of the same map (goal ≤ 2×), and against Mapnik 3.1
 * rendering the same tiles with the same CartoCSS from the same tables (informational goal ≤ 1×).
 *
 * <p>The map ({@link P6Map}): Natural Earth countries (fills + outlines), 50 000 generated road polylines, P5's
 * 1 M points (markers) and Natural Earth cities (markers + labels); tiles z2–z14 from {@code p6/tiles.txt}. The
 * tile cache is off ({@code tessera.maps.tileCacheBytes=0}), so every request draws. Timing is sequential with
 * one client: each tile is requested over HTTP and timed to the last byte (Tessera) or timed inside
 * {@code render_tiles.py} around render + PNG encoding (Mapnik, no HTTP), both single-threaded per tile. One
 * untimed pass of each warms the JIT, PostgreSQL's buffers and Mapnik's connections; then {@code ROUNDS} rounds
 * run MVT, PNG and Mapnik passes in turn, and a tile's time is its median over the rounds. The warm-up pass's PNG
 * tiles of both renderers are compared pixel by pixel ({@link PixelDiff}), so a fast time cannot come from
 * drawing less. {@code bin/bench P6 [ROUNDS] [DIR]} (default 3 rounds; with DIR, those tiles are kept in
 * {@code DIR/tessera} and {@code DIR/mapnik} to compare by eye).
 */
public final class P6Bench {
    private static final ObjectMapper JSON = new ObjectMapper();

    private P6Bench() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        if (rounds < 1) {
            throw new IllegalArgumentException("ROUNDS must be at least 1");
        }
        Path keep = args.length > 1 ? Path.of(args[1]) : null;
        List<String> tiles = tileList();
        BenchReport report = new BenchReport("P6 PNG tiles (" + tiles.size() + " tiles z2-z14, 4 layers, " + rounds
                + " rounds, 1 client, tile cache off)");
        System.setProperty("tessera.maps.tileCacheBytes", "0");
        try (BenchServer server = BenchServer.start("p6")) {
            Platform platform = server.platform();
            DemoData.ensure(platform);
            User demo = platform.accounts().findUserUncached(DemoData.USER).orElseThrow();
            String key = platform.accounts().masterKey(DemoData.USER).orElseThrow();
            long t0 = System.nanoTime();
            P5Bench.makePoints(platform, demo);
            P6Map.makeRoads(platform, demo);
            System.out.printf("P6 | data ready in %.0f s%n", (System.nanoTime() - t0) / 1e9);
            P6Map map = P6Map.of(demo.schema());
            String base = server.baseUrl().replace("/user/" + server.user().user().username() + "/", "/user/demo/");
            String prefix = base + "api/v1/map/" + instantiate(base, key, map.mapConfig()) + "/";
            Path dir = Files.createTempDirectory("p6");
            Path save = keep != null ? keep : dir.resolve("warm-up");
            var ep = io.tessera.bench.BenchServer.peerEndpoint(platform);
            MapnikPeer mapnik = MapnikPeer.create(map, tiles, dir, Map.of("PGHOST", ep.host(),
                    "PGPORT", Integer.toString(ep.port()), "PGDATABASE", ep.database(), "PGUSER", demo.ownerRole(),
                    "PGPASSWORD", platform.rolePassword(demo.ownerRole())));
            if (mapnik == null) {
                System.out.println("P6 | Mapnik peer skipped: python3-mapnik or node-carto not installed");
            }

            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            TileTimes mvt = new TileTimes();
            TileTimes png = new TileTimes();
            TileTimes mapnikTimes = new TileTimes();
            for (int round = 0; round <= rounds; round++) {
                boolean warmUp = round == 0;
                Path saveNow = warmUp ? save : null;
                Pass m = pass(http, prefix, tiles, ".mvt?api_key=" + key, null);
                Pass p = pass(http, prefix, tiles, ".png?api_key=" + key, saveNow == null ? null : saveNow.resolve("tessera"));
                Map<String, Double> k = mapnik == null ? Map.of() : mapnik.pass(saveNow == null ? null : saveNow.resolve("mapnik"));
                if (warmUp) {
                    System.out.printf("P6 | warm-up: MVT %d tiles with data (%.1f MB), PNG %d tiles with data (%.1f MB)%n",
                            m.withData(), m.bytes() / 1e6, p.withData(), p.bytes() / 1e6);
                    if (mapnik != null) {
                        compare(report, save, tiles);
                    }
                    continue;
                }
                mvt.addAll(m.ms());
                png.addAll(p.ms());
                mapnikTimes.addAll(k);
                System.out.printf("P6 | round %d: MVT %.0f ms, PNG %.0f ms, Mapnik %.0f ms%n", round, sum(m.ms()),
                        sum(p.ms()), sum(k));
            }

            report.lowerIsBetter("PNG vs MVT, same tiles and layers (sum of per-tile medians)", png.total(tiles, z -> true),
                    mvt.total(tiles, z -> true), "ms", 2.0);
            if (mapnik != null) {
                report.lowerIsBetter("PNG vs Mapnik 3.1, same tiles, style and tables", png.total(tiles, z -> true),
                        mapnikTimes.total(tiles, z -> true), "ms", 1.0);
            }
            band(report, "z2-z6", z -> z <= 6, tiles, png, mvt, mapnik == null ? null : mapnikTimes);
            band(report, "z7-z10", z -> z >= 7 && z <= 10, tiles, png, mvt, mapnik == null ? null : mapnikTimes);
            band(report, "z11-z14", z -> z >= 11, tiles, png, mvt, mapnik == null ? null : mapnikTimes);
            report.figure("PNG / MVT, geometric mean of per-tile ratios", png.geometricMeanRatio(mvt, tiles), "×");
            if (mapnik != null) {
                report.figure("PNG / Mapnik, geometric mean of per-tile ratios", png.geometricMeanRatio(mapnikTimes, tiles),
                        "×");
            }
        }
    }

    /** One timed pass: ms per tile, how many tiles had data (200, not 204) and their bytes. */
    private record Pass(Map<String, Double> ms, int withData, long bytes) {
    }

    private static Pass pass(HttpClient http, String prefix, List<String> tiles, String suffix, Path saveDir)
            throws Exception {
        if (saveDir != null) {
            Files.createDirectories(saveDir);
        }
        Map<String, Double> ms = new LinkedHashMap<>();
        int withData = 0;
        long bytes = 0;
        for (String t : tiles) {
            HttpRequest req = HttpRequest.newBuilder(URI.create(prefix + t + suffix)).build();
            long start = System.nanoTime();
            HttpResponse<byte[]> r = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
            ms.put(t, (System.nanoTime() - start) / 1e6);
            if (r.statusCode() == 200) {
                withData++;
                bytes += r.body().length;
                if (saveDir != null) {
                    Files.write(saveDir.resolve(t.replace('/', '-') + ".png"), r.body());
                }
            } else if (r.statusCode() != 204) {
                throw new IllegalStateException(t + suffix.substring(0, suffix.indexOf('?')) + ": HTTP " + r.statusCode()
                        + " " + new String(r.body(), StandardCharsets.UTF_8));
            }
        }
        return new Pass(ms, withData, bytes);
    }

    private static void compare(BenchReport report, Path save, List<String> tiles) throws Exception {
        Path ours = save.resolve("tessera");
        Path theirs = save.resolve("mapnik");
        List<String> both = tiles.stream().filter(t -> PixelDiff.bothSaved(ours, theirs, t)).toList();
        PixelDiff.Result d = PixelDiff.compare(ours, theirs, both);
        report.figure("pixels differing from Mapnik's tile, mean over " + both.size() + " tiles", 100 * d.mean(), "%");
        report.figure("pixels differing from Mapnik's tile, worst (" + d.worstTile() + ")", 100 * d.worst(), "%");
    }

    private static void band(BenchReport report, String name, IntPredicate zoom, List<String> tiles, TileTimes png,
                             TileTimes mvt, TileTimes mapnik) {
        long n = tiles.stream().filter(t -> zoom.test(TileTimes.zoomOf(t))).count();
        double p = png.total(tiles, zoom);
        report.lowerIsBetter(name + " (" + n + " tiles) PNG vs MVT", p, mvt.total(tiles, zoom), "ms", 2.0);
        if (mapnik != null) {
            report.lowerIsBetter(name + " (" + n + " tiles) PNG vs Mapnik", p, mapnik.total(tiles, zoom), "ms", 1.0);
        }
    }

    private static double sum(Map<String, Double> ms) {
        return ms.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    private static List<String> tileList() throws Exception {
        List<String> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                P6Bench.class.getResourceAsStream("/p6/tiles.txt"), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    out.add(line.strip());
                }
            }
        }
        return out;
    }

    private static String instantiate(String base, String key, String config) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "api/v1/map?api_key=" + key))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(config)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("instantiation failed: " + r.body());
        }
        return JSON.readTree(r.body()).get("layergroupid").asText();
    }
}
