package io.tessera.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * CPU time used by the server side of a benchmark: this JVM (Tessera runs in it) and the PostgreSQL cluster
 * (the postmaster, its live children, and the children it has reaped: backends that ended during the run).
 * Load generators (wrk, pgbench, curl, psql) are clients and are not counted.
 */
public final class ProcessCpu {
    private static final double TICKS_PER_SECOND = 100.0; // USER_HZ on Linux
    private final long postmaster;

    public ProcessCpu(long postmasterPid) {
        this.postmaster = postmasterPid;
    }

    /** Seconds of CPU the JVM has used so far. */
    public static double jvmSeconds() {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        return os.getProcessCpuTime() / 1e9;
    }

    /** Seconds of CPU the cluster has used so far (postmaster + live children + reaped children). */
    public double postgresSeconds() throws IOException {
        long ticks = ticks(postmaster, true);
        for (String[] f : children(postmaster)) {
            ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
        }
        return ticks / TICKS_PER_SECOND;
    }

    /**
     * Waits (up to five seconds) until the cluster has no more children than {@code count}: backends of clients
     * that just disconnected are still exiting, and their CPU is counted only once the postmaster reaps them.
     */
    public void awaitChildren(int count) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (children() > count && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    /** How many processes the postmaster has now. */
    public int children() throws IOException {
        return children(postmaster).size();
    }

    /** The stat fields of each live child of {@code parent}. */
    private static java.util.List<String[]> children(long parent) throws IOException {
        java.util.List<String[]> out = new java.util.ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.toList()) {
                String name = p.getFileName().toString();
                if (name.chars().allMatch(Character::isDigit)) {
                    try {
                        String[] f = fields(Long.parseLong(name));
                        if (Long.parseLong(f[1]) == parent) {
                            out.add(f);
                        }
                    } catch (IOException | RuntimeException gone) {
                        // the process ended while we looked
                    }
                }
            }
        }
        return out;
    }

    private static long ticks(long pid, boolean withChildren) throws IOException {
        String[] f = fields(pid);
        long t = Long.parseLong(f[11]) + Long.parseLong(f[12]);
        return withChildren ? t + Long.parseLong(f[13]) + Long.parseLong(f[14]) : t;
    }

    /** /proc/PID/stat fields after the command name: [0]=state, [1]=ppid, … [11]=utime, [12]=stime, [13]=cutime, [14]=cstime. */
    private static String[] fields(long pid) throws IOException {
        String s = Files.readString(Path.of("/proc/" + pid + "/stat"));
        return s.substring(s.lastIndexOf(')') + 2).split(" ");
    }
}
