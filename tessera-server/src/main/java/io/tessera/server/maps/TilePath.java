package io.tessera.server.maps;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The last segment of a tile URL: {@code y[@Nx].format} (maps-api.md §3.1). */
record TilePath(String y, int scale, TileFormat format) {
    private static final Pattern LAST = Pattern.compile("^([^.@]*)(?:@(\\d+)x)?\\.(.+)$");

    /** Tile formats; PNG and UTFGrid come from the Java renderer. */
    enum TileFormat {
        MVT, PNG, GRID_JSON
    }

    static TilePath parse(String segment, boolean scaleAllowed) {
        Matcher m = LAST.matcher(segment);
        if (!m.matches()) {
            throw MapsErrors.tile("Unsupported format " + segment);
        }
        TileFormat f = switch (m.group(3)) {
            case "mvt" -> TileFormat.MVT;
            case "png", "png32" -> TileFormat.PNG;
            case "grid.json" -> TileFormat.GRID_JSON;
            default -> throw MapsErrors.tile("Unsupported format " + m.group(3));
        };
        int scale = 1;
        if (m.group(2) != null) {
            if (!scaleAllowed) {
                throw MapsErrors.tile("Invalid coodinate 'y' value (" + m.group(1) + "@" + m.group(2) + "x)");
            }
            scale = Integer.parseInt(m.group(2).length() > 2 ? "0" : m.group(2));
            if ((scale != 1 && scale != 2) || f != TileFormat.PNG) {
                throw MapsErrors.error(404, "tile", null, "Tile with specified resolution not found", null);
            }
        }
        return new TilePath(m.group(1), scale, f);
    }
}
