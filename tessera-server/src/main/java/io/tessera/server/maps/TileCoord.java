package io.tessera.server.maps;

/**
 * A tile address as the URL gives it (maps-api.md §3.1): {@code z} and {@code y} non-negative,
 * {@code x} may be negative and wraps around the world.
 */
public record TileCoord(int z, int x, int y) {

    public static TileCoord parse(String z, String x, String y) {
        if (!z.matches("\\d{1,2}") || Integer.parseInt(z) > 30) {
            throw MapsErrors.tile("Invalid zoom value (" + z + ")");
        }
        int zoom = Integer.parseInt(z);
        long n = 1L << zoom;
        if (!x.matches("-?\\d{1,10}")) {
            throw MapsErrors.tile("Invalid coodinate 'x' value (" + x + ")");
        }
        if (!y.matches("\\d{1,10}") || Long.parseLong(y) >= n) {
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
