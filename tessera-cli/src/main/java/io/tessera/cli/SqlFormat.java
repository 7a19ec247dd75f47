package io.tessera.cli;

import java.util.Locale;

/** The output formats {@code tessera sql} offers: each is streamed, never held whole in memory. */
public enum SqlFormat {
    /** The SQL API's JSON envelope ({@code rows}, {@code fields}, …), the server's default. */
    JSON,
    /** CSV with a header row, as the server's COPY export writes it. */
    CSV,
    /** A GeoJSON FeatureCollection (needs a {@code the_geom} column). */
    GEOJSON;

    /** The value of the SQL API {@code format} parameter. */
    public String param() {
        return name().toLowerCase(Locale.ROOT);
    }
}
