package io.tessera.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs the peers and load generators (wrk, pgbench, psql, curl) with an argument list and captures their output. */
public final class Tools {
    private Tools() {
    }

    /** Output (stdout and stderr) of a finished command; fails on a non-zero exit. */
    public static String run(List<String> cmd, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", cmd.subList(0, 1)) + " failed: " + out);
        }
        return out;
    }

    /** Runs a command whose standard output is thrown away (the bytes still cross the pipe); returns its wall time in ns. */
    public static long timeDiscarding(List<String> cmd, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().putAll(env);
        long t0 = System.nanoTime();
        Process p = pb.start();
        if (p.waitFor() != 0) {
            throw new IOException(cmd.get(0) + " failed");
        }
        return System.nanoTime() - t0;
    }

    /** The first group of {@code regex} in {@code text} as a number. */
    public static double number(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        if (!m.find()) {
            throw new IllegalStateException("no match for " + regex + " in:\n" + text);
        }
        return Double.parseDouble(m.group(1));
    }
}
