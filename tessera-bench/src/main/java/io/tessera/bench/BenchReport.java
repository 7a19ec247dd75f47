package io.tessera.bench;

import java.util.Locale;

/**
 * Prints benchmark results in one shape: each figure next to its peer's, and the ratio with the goal, so a
 * run's output can be pasted into an issue note as it is.
 */
public final class BenchReport {
    private final String name;

    public BenchReport(String name) {
        this.name = name;
        System.out.println("== " + name + " ==");
    }

    /** A figure where higher is better (throughput): ratio = tessera / peer, goal met when ratio ≥ goal. */
    public void higherIsBetter(String what, double tessera, double peer, String unit, double goal) {
        double ratio = tessera / peer;
        line(what, tessera, peer, unit, ratio, ratio >= goal ? "≥" : "<", goal);
    }

    /** A figure where lower is better (time): ratio = tessera / peer, goal met when ratio ≤ goal. */
    public void lowerIsBetter(String what, double tessera, double peer, String unit, double goal) {
        double ratio = tessera / peer;
        line(what, tessera, peer, unit, ratio, ratio <= goal ? "≤" : ">", goal);
    }

    /** A figure with no peer (a latency percentile, heap, CPU per request). */
    public void figure(String what, double value, String unit) {
        System.out.printf(Locale.ROOT, "%s | %s: %.3f %s%n", name, what, value, unit);
    }

    private void line(String what, double tessera, double peer, String unit, double ratio, String cmp, double goal) {
        boolean met = cmp.equals("≥") || cmp.equals("≤");
        System.out.printf(Locale.ROOT, "%s | %s: tessera %.3f %s, peer %.3f %s, ratio %.3f× (%s goal %s %.2f×)%n",
                name, what, tessera, unit, peer, unit, ratio, met ? "meets" : "misses", cmp, goal);
    }
}
