package io.tessera.server.maps.render;

/** Zoom filters as a bit mask over levels 0..{@value #MAX}, as carto keeps them. */
final class CartoZoom {
    static final int MAX = 30;
    /** Passed as the zoom to ignore zoom filters altogether. */
    static final int ANY = -1;
    static final long ALL = (1L << (MAX + 1)) - 1;

    private CartoZoom() {
    }

    static boolean contains(long mask, int zoom) {
        return zoom == ANY || (zoom >= 0 && zoom <= MAX && (mask & (1L << zoom)) != 0);
    }

    static long mask(String op, double value) {
        long mask = 0;
        for (int z = 0; z <= MAX; z++) {
            boolean in = switch (op) {
                case "=" -> z == value;
                case "!=" -> z != value;
                case ">" -> z > value;
                case "<" -> z < value;
                case ">=" -> z >= value;
                case "<=" -> z <= value;
                default -> false;
            };
            if (in) {
                mask |= 1L << z;
            }
        }
        return mask;
    }
}
