package io.tessera.bench.p5;

import io.tessera.server.db.DatabaseEndpoint;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The binding peer: the same ST_AsMVT statements Tessera runs (a pgbench script picks a tile at random), run by
 * {@code pgbench -M prepared} as the same login role, same concurrency; the password goes through the environment.
 */
final class PgBenchPeer {
    private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+) \\(without initial connection time\\)");

    private PgBenchPeer() {
    }

    static double tps(DatabaseEndpoint ep, String role, String password, List<String> statements, Path dir, int clients,
                      int seconds) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("pgbench", "-n", "-M", "prepared", "-c", Integer.toString(clients),
                "-j", Integer.toString(Math.min(clients, 2)), "-T", Integer.toString(seconds),
                "-h", ep.host(), "-p", Integer.toString(ep.port()), "-U", role));
        // pgbench takes at most 128 scripts: one script picks a tile at random and runs its statement.
        StringBuilder script = new StringBuilder("\\set i random(0, " + (statements.size() - 1) + ")\n");
        for (int i = 0; i < statements.size(); i++) {
            script.append(i == 0 ? "\\if :i = 0\n" : "\\elif :i = " + i + "\n")
                    .append(statements.get(i).replace("\n", " ")).append(";\n");
        }
        script.append("\\endif\n");
        Path f = dir.resolve("tiles.sql");
        Files.writeString(f, script);
        cmd.add("-f");
        cmd.add(f.toString());
        cmd.add(ep.database());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("PGPASSWORD", password);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException("pgbench failed: " + out);
        }
        Matcher m = TPS.matcher(out);
        if (!m.find()) {
            throw new IOException("no tps in pgbench output: " + out);
        }
        return Double.parseDouble(m.group(1));
    }
}
