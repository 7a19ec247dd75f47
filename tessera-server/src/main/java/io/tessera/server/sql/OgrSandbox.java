package io.tessera.server.sql;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code ogr2ogr} for an export the safe way (decisions: security 13): an argument list, never a
 * shell; only the PostgreSQL input (GDAL 3.6's ogr2ogr has no {@code -if}, but only that driver opens a
 * {@code PG:} name, and the name is ours, not the caller's) and an allowed output driver; the password in
 * the child's environment only (never argv, never logs); a cleared environment; resource limits set by
 * {@code prlimit} (file size, address space, CPU, open files) and a wall-clock kill.
 */
final class OgrSandbox {
    /** The output drivers an export may use. */
    enum Driver {
        KML("KML"), SHAPEFILE("ESRI Shapefile"), GPKG("GPKG"), SQLITE("SQLite");

        final String gdalName;

        Driver(String gdalName) {
            this.gdalName = gdalName;
        }
    }

    /** How ogr2ogr ended. */
    record Outcome(int exitCode, boolean timedOut, String stderr) {
    }

    private final ExportLimits limits;

    OgrSandbox(ExportLimits limits) {
        this.limits = limits;
    }

    /**
     * Runs {@code ogr2ogr -f <driver> <output> PG:<conninfo> <args…>} in {@code workDir}.
     * {@code conninfo} must not hold a password: it goes in {@code password} and reaches the child as PGPASSWORD.
     */
    Outcome run(Driver driver, Path output, String conninfo, List<String> args, String password, long timeoutMs,
                Path workDir) throws IOException {
        if (conninfo.contains("password")) {
            throw new IllegalArgumentException("credentials never go in argv");
        }
        long seconds = Math.max(1, (timeoutMs + 999) / 1000);
        List<String> cmd = new ArrayList<>(List.of("prlimit",
                "--fsize=" + limits.ogrMaxBytes(), "--as=" + limits.ogrMemoryBytes(),
                "--cpu=" + (seconds + 1), "--nofile=256", "--core=0", "--",
                "ogr2ogr", "-f", driver.gdalName, output.toString(), "PG:" + conninfo));
        cmd.addAll(args);
        Path stderr = workDir.resolve("ogr2ogr.stderr");
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .directory(workDir.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(stderr.toFile());
        Map<String, String> env = pb.environment();
        env.clear();
        env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
        env.put("LC_ALL", "C.UTF-8");
        env.put("HOME", workDir.toString());
        env.put("CPL_TMPDIR", workDir.toString());
        env.put("PGPASSWORD", password);
        env.put("PGCONNECT_TIMEOUT", "10");
        env.put("PGAPPNAME", "tessera-export");
        // The database ends the query on its own when the process is killed mid-read.
        env.put("PGOPTIONS", "-c statement_timeout=" + timeoutMs);
        env.put("GDAL_HTTP_TIMEOUT", "1"); // no driver in use reaches the network; belt and braces
        Process p = pb.start();
        p.getOutputStream().close();
        boolean finished;
        try {
            finished = p.waitFor(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("export interrupted", e);
        }
        if (!finished) {
            p.destroyForcibly();
            try {
                p.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new Outcome(-1, true, "");
        }
        return new Outcome(p.exitValue(), false, tail(stderr));
    }

    private static String tail(Path f) throws IOException {
        if (!Files.exists(f)) {
            return "";
        }
        byte[] b = Files.readAllBytes(f);
        int from = Math.max(0, b.length - 4096);
        return new String(b, from, b.length - from, StandardCharsets.UTF_8).strip();
    }
}
