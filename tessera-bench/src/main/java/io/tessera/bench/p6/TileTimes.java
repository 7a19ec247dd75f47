package io.tessera.bench.p6;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;

/**
 * One renderer's time per tile over several passes. A tile's time is its median over the passes (the machine is
 * shared: a median shrugs off a pass that another process slowed); a total is the sum of those medians.
 */
final class TileTimes {
    private final Map<String, List<Double>> byTile = new LinkedHashMap<>();

    void add(String tile, double ms) {
        byTile.computeIfAbsent(tile, t -> new ArrayList<>()).add(ms);
    }

    void addAll(Map<String, Double> pass) {
        pass.forEach(this::add);
    }

    double median(String tile) {
        List<Double> v = new ArrayList<>(byTile.get(tile));
        if (v.isEmpty()) {
            throw new IllegalStateException("no time for tile " + tile);
        }
        v.sort(null);
        int n = v.size();
        return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
    }

    /** Sum of the per-tile medians over the tiles whose zoom passes {@code zoom}. */
    double total(List<String> tiles, IntPredicate zoom) {
        double sum = 0;
        for (String t : tiles) {
            if (zoom.test(zoomOf(t))) {
                sum += median(t);
            }
        }
        return sum;
    }

    /** Geometric mean over tiles of this renderer's median / the other's: every tile counts the same, heavy or light. */
    double geometricMeanRatio(TileTimes other, List<String> tiles) {
        double logs = 0;
        for (String t : tiles) {
            logs += Math.log(median(t) / other.median(t));
        }
        return Math.exp(logs / tiles.size());
    }

    static int zoomOf(String tile) {
        return Integer.parseInt(tile.substring(0, tile.indexOf('/')));
    }
}
