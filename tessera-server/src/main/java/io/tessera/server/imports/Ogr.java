package io.tessera.server.imports;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Runs GDAL's {@code ogrinfo}/{@code ogr2ogr} sandboxed (security decision 13): only the allow-listed input
 * drivers can open anything (Debian's GDAL 3.6 has no {@code -if}, so every other driver, VRT first, is
 * switched off through {@code GDAL_SKIP}, and the driver that opened the file is checked); database
 * credentials travel in the environment ({@code PGPASSWORD}), never in the argument list; the process
 * runs under {@code prlimit} (address space, CPU) and a wall-clock timeout, with bounded captured output.
 */
public final class Ogr {
    /** Input drivers imports may use. */
    public static final Set<String> ALLOWED_DRIVERS = Set.of("ESRI Shapefile", "GPKG", "KML", "GPX", "XLSX", "CSV");
    private static final int MAX_OUTPUT = 256 * 1024;
    private static volatile String skipList;

    /** What a run printed and how it ended. */
    public record Result(int exit, String stdout, String stderr) {
    }

    private final ImportSettings settings;

    public Ogr(ImportSettings settings) {
        this.settings = settings;
    }

    public Result run(List<String> args, Map<String, String> env, Path workDir, java.util.function.Consumer<Process> started)
            throws IOException, ImportFailure {
        List<String> cmd = new ArrayList<>(List.of("prlimit", "--as=" + settings.ogrMemoryBytes(),
                "--cpu=" + Math.max(1, settings.ogrTimeout().toSeconds()), "--"));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile());
        Map<String, String> e = pb.environment();
        // Nothing of the server's environment reaches the child but what it needs to run.
        String path = e.getOrDefault("PATH", "/usr/bin:/bin");
        e.clear();
        e.put("PATH", path);
        e.put("LANG", "C.UTF-8");
        e.put("GDAL_SKIP", skipList());
        e.put("GDAL_HTTP_TIMEOUT", "1");
        e.put("CPL_VSIL_CURL_ALLOWED_EXTENSIONS", ".nothing-remote");
        e.putAll(env);
        Process p = pb.start();
        started.accept(p);
        Capture out = new Capture(p.getInputStream());
        Capture err = new Capture(p.getErrorStream());
        out.start();
        err.start();
        try {
            if (!p.waitFor(settings.ogrTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new ImportFailure(ImportErrorCodes.TIMEOUT, "ogr2ogr ran longer than " + settings.ogrTimeout());
            }
            out.join(Duration.ofSeconds(10));
            err.join(Duration.ofSeconds(10));
        } catch (InterruptedException ie) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new ImportFailure(ImportErrorCodes.UNKNOWN, "interrupted");
        }
        return new Result(p.exitValue(), out.text(), err.text());
    }

    /** Every driver this GDAL has except the allowed ones (names with spaces cannot be listed; none of those is risky). */
    static String skipList() throws IOException {
        if (skipList == null) {
            Process p = new ProcessBuilder("ogrinfo", "--formats").redirectErrorStream(true).start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            List<String> skip = new ArrayList<>();
            Set<String> keep = new java.util.HashSet<>(ALLOWED_DRIVERS);
            keep.add("PostgreSQL"); // the output driver; inputs are always local file paths we name
            for (String line : text.split("\n")) {
                int dash = line.indexOf(" -");
                if (line.startsWith("  ") && dash > 2) {
                    String name = line.substring(2, dash).trim();
                    if (!keep.contains(name) && !name.contains(" ")) {
                        skip.add(name);
                    }
                }
            }
            if (!skip.contains("VRT")) {
                skip.add("VRT");
            }
            skipList = String.join(" ", skip);
        }
        return skipList;
    }

    /** Reads a process stream on its own thread, keeping at most {@link #MAX_OUTPUT} bytes. */
    private static final class Capture extends Thread {
        private final InputStream in;
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream();

        Capture(InputStream in) {
            this.in = in;
            setDaemon(true);
        }

        @Override
        public void run() {
            byte[] b = new byte[8192];
            try {
                int n;
                while ((n = in.read(b)) > 0) {
                    if (buf.size() < MAX_OUTPUT) {
                        buf.write(b, 0, Math.min(n, MAX_OUTPUT - buf.size()));
                    }
                }
            } catch (IOException e) {
                // the process went away
            }
        }

        String text() {
            return buf.toString(StandardCharsets.UTF_8);
        }
    }
}
