package io.tessera.cli;

import java.util.Locale;

/** The output formats {@code tessera sql} offers: the SQL API's, each copied to stdout or a file as it arrives. */
public enum SqlFormat {
    /** The SQL API's JSON envelope ({@code rows}, {@code fields}, …), the server's default. */
    JSON,
    /** CSV with a header row, as the server's COPY export writes it. */
    CSV,
    /** A GeoJSON FeatureCollection (needs a {@code the_geom} column). */
    GEOJSON,
    /** A TopoJSON topology of the rows with a geometry. */
    TOPOJSON,
    /** An SVG drawing of the geometries. */
    SVG,
    /** CARTO's column-oriented binary layout of numbers and strings (binary). */
    ARRAYBUFFER,
    /** KML placemarks. */
    KML,
    /** A zipped ESRI shapefile (binary). */
    SHP,
    /** A GeoPackage (binary). */
    GPKG,
    /** A SpatiaLite database (binary). */
    SPATIALITE;

    /** The value of the SQL API {@code format} parameter. */
    public String param() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Bytes that garble a terminal: written to a file ({@code -o}) or a pipe, never to a terminal. */
    public boolean binary() {
        return this == SHP || this == GPKG || this == SPATIALITE || this == ARRAYBUFFER;
    }
}
