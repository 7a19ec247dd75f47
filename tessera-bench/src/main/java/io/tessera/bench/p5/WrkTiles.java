package io.tessera.bench.p5;

import io.tessera.bench.ProcessCpu;
import io.tessera.bench.Tools;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Cached tiles under {@code wrk} (C, two threads) instead of the JVM's own HTTP client, so the load generator does
 * not take the CPU the server needs: tiles per second, CPU per tile of the server alone (this JVM + PostgreSQL, whose
 * share is the validation rounds), and the same server's HTTP floor ({@code GET /api/v1/version}, no database).
 */
final class WrkTiles {
    record Result(double perSecond, double jvmCpuMicros, double postgresCpuMicros, double floorPerSecond) {
        double serverCpuMicros() {
            return jvmCpuMicros + postgresCpuMicros;
        }
    }

    private WrkTiles() {
    }

    static Result run(List<String> urls, int connections, int seconds, ProcessCpu cpu) throws Exception {
        URI first = URI.create(urls.get(0));
        String base = first.getScheme() + "://" + first.getRawAuthority();
        StringBuilder lua = new StringBuilder("paths = {\n");
        for (String u : urls) {
            URI uri = URI.create(u);
            lua.append("  \"").append(uri.getRawPath()).append('?').append(uri.getRawQuery()).append("\",\n");
        }
        lua.append("}\nrequest = function()\n  return wrk.format(\"GET\", paths[math.random(#paths)])\nend\n");
        Path dir = Files.createTempDirectory("p5wrk");
        Path script = Files.writeString(dir.resolve("tiles.lua"), lua);
        List<String> wrk = List.of("wrk", "-t", "2", "-c", Integer.toString(connections), "-d", seconds + "s", "-s",
                script.toString(), base);
        Tools.run(List.of("wrk", "-t", "2", "-c", Integer.toString(connections), "-d", "5s", "-s", script.toString(), base),
                Map.of()); // JIT warm-up
        double jvm0 = ProcessCpu.jvmSeconds();
        double pg0 = cpu.postgresSeconds();
        String out = Tools.run(wrk, Map.of());
        double jvmCpu = ProcessCpu.jvmSeconds() - jvm0;
        double pgCpu = cpu.postgresSeconds() - pg0;
        if (out.contains("Non-2xx")) {
            throw new IllegalStateException("errors under load:\n" + out);
        }
        double requests = Tools.number(out, "([0-9]+) requests in");
        String floor = Tools.run(List.of("wrk", "-t", "2", "-c", Integer.toString(connections), "-d", seconds + "s",
                base + "/api/v1/version"), Map.of());
        return new Result(Tools.number(out, "Requests/sec:\\s+([0-9.]+)"), jvmCpu / requests * 1e6, pgCpu / requests * 1e6,
                Tools.number(floor, "Requests/sec:\\s+([0-9.]+)"));
    }
}
