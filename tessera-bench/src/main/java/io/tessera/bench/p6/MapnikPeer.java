package io.tessera.bench.p6;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Mapnik 3.1 through {@code tessera-bench/mapnik/render_tiles.py} (python3-mapnik, style compiled by node-carto):
 * one process per pass renders the tile list in order, single-threaded, and reports each tile's render + PNG
 * encoding time as measured inside the process (no HTTP, no process start). The database login comes from the
 * libpq environment, never from argv.
 */
final class MapnikPeer {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path PYTHON = Path.of("/usr/bin/python3");

    private final List<String> command;
    private final Map<String, String> env;

    private MapnikPeer(List<String> command, Map<String, String> env) {
        this.command = command;
        this.env = env;
    }

    /** Null when python3-mapnik or carto is missing (the benchmark then reports Tessera's own ratio only). */
    static MapnikPeer create(P6Map map, List<String> tiles, Path dir, Map<String, String> libpqEnv) throws IOException {
        Path script = script();
        if (!Files.isExecutable(PYTHON) || !Files.isRegularFile(script) || !onPath("carto") || !hasMapnik()) {
            return null;
        }
        Path tileFile = Files.write(dir.resolve("tiles.txt"), tiles);
        List<String> cmd = new ArrayList<>(List.of(PYTHON.toString(), script.toString()));
        for (P6Map.Layer l : map.layers()) {
            cmd.add("--layer-sql");
            cmd.add(l.id() + "=" + l.sql());
        }
        for (Path style : map.writeStyles(dir)) {
            cmd.add("--style");
            cmd.add(style.toString());
        }
        cmd.addAll(List.of("--tiles", tileFile.toString(), "--repeat", "1", "--warmup", "0"));
        return new MapnikPeer(List.copyOf(cmd), Map.copyOf(libpqEnv));
    }

    /**
     * One pass over the tile list: milliseconds per tile ({@code z/x/y}), in list order; with {@code saveDir}, the
     * tiles are also written there as {@code z-x-y.png} (outside the timing).
     */
    Map<String, Double> pass(Path saveDir) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(command);
        if (saveDir != null) {
            cmd.addAll(List.of("--out", Files.createDirectories(saveDir).toString()));
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().putAll(env);
        Process p = pb.start();
        Map<String, Double> out = new LinkedHashMap<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                JsonNode n = JSON.readTree(line);
                if (n.has("tile")) {
                    out.put(n.get("tile").asText(), n.get("ms").asDouble());
                }
            }
        }
        if (p.waitFor() != 0) {
            throw new IOException("render_tiles.py failed (exit " + p.exitValue() + ")");
        }
        return out;
    }

    /** {@code tessera-bench/mapnik/render_tiles.py}, found from this module's {@code target/classes}. */
    private static Path script() throws IOException {
        try {
            Path classes = Path.of(MapnikPeer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return classes.getParent().getParent().resolve("mapnik/render_tiles.py");
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasMapnik() {
        try {
            return new ProcessBuilder(PYTHON.toString(), "-c", "import mapnik").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
