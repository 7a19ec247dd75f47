package io.tessera.server.sql;

/** The SQL API's output formats, with CARTO's content types and file extensions (sql-api.md §2.8). */
public enum OutputFormat {
    JSON("json", "application/json; charset=utf-8", "json"),
    GEOJSON("geojson", "application/json; charset=utf-8", "geojson"),
    CSV("csv", "text/csv; charset=utf-8; header=present", "csv"),
    TOPOJSON("topojson", "application/json; charset=utf-8", "topojson"),
    SVG("svg", "image/svg+xml; charset=utf-8", "svg"),
    ARRAYBUFFER("arraybuffer", "application/octet-stream", "arraybuffer"),
    KML("kml", "application/kml; charset=utf-8", "kml"),
    SHP("shp", "application/zip; charset=utf-8", "zip"),
    SPATIALITE("spatialite", "application/x-sqlite3; charset=utf-8", "sqlite"),
    GPKG("gpkg", "application/x-sqlite3; charset=utf-8", "gpkg");

    private final String id;
    private final String contentType;
    private final String extension;

    OutputFormat(String id, String contentType, String extension) {
        this.id = id;
        this.contentType = contentType;
        this.extension = extension;
    }

    public String contentType() {
        return contentType;
    }

    public String extension() {
        return extension;
    }

    /** Written as a whole file by ogr2ogr before the first byte is sent. */
    public boolean viaOgr() {
        return this == KML || this == SHP || this == SPATIALITE || this == GPKG;
    }

    public static OutputFormat parse(String id) {
        for (OutputFormat f : values()) {
            if (f.id.equals(id)) {
                return f;
            }
        }
        throw SqlApiErrors.badRequest("Invalid format: " + id);
    }
}
