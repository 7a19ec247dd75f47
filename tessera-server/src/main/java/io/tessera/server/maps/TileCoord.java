package io.tessera.server.maps;

import java.util.regex.Pattern;

/**
 * A tile address as the URL gives it (maps-api.md §3.1): {@code z} and {@code y} non-negative,
 * {@code x} may be negative and wraps around the world.
 */
public record TileCoord(int z, int x, int y) {
    // compiled once: String.matches compiles its pattern on every call, and this runs for every tile
    private static final Pattern ZOOM = Pattern.compile("\\d{1,2}");
    private static final Pattern X = Pattern.compile("-?\\d{1,10}");
    private static final Pattern Y = Pattern.compile("\\d{1,10}");

    public static TileCoord parse(String z, String x, String y) {
        if (!ZOOM.matcher(z).matches() || Integer.parseInt(z) > 30) {
            throw MapsErrors.tile("Invalid zoom value (" + z + ")");
        }
        int zoom = Integer.parseInt(z);
        long n = 1L << zoom;
        if (!X.matcher(x).matches()) {
            throw MapsErrors.tile("Invalid coodinate 'x' value (" + x + ")");
        }
        if (!Y.matcher(y).matches() || Long.parseLong(y) >= n) {
            throw MapsErrors.tile("Invalid coodinate 'y' value (" + y + ")");
        }
        long wrapped = Math.floorMod(Long.parseLong(x), n);
        return new TileCoord(zoom, (int) wrapped, Integer.parseInt(y));
    }

    /** {@code ST_TileEnvelope} of this tile, grown by {@code margin} (a fraction of the tile width). */
    public String envelopeSql(double margin) {
        return margin == 0 ? "public.ST_TileEnvelope(" + z + "," + x + "," + y + ")"
                : "public.ST_TileEnvelope(" + z + "," + x + "," + y + ",margin=>" + margin + ")";
    }

    @Override
    public String toString() {
        return z + "/" + x + "/" + y;
    }
}
