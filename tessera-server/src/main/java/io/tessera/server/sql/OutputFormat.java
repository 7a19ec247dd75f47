package io.tessera.server.sql;

/** The SQL API's output formats, with CARTO's content types and file extensions (sql-api.md §2.8). */
public enum OutputFormat {
    JSON("json", "application/json; charset=utf-8", "json"),
    GEOJSON("geojson", "application/json; charset=utf-8", "geojson"),
    CSV("csv", "text/csv; charset=utf-8; header=present", "csv");

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

    public static OutputFormat parse(String id) {
        for (OutputFormat f : values()) {
            if (f.id.equals(id)) {
                return f;
            }
        }
        if (java.util.Set.of("topojson", "svg", "kml", "shp", "spatialite", "gpkg", "arraybuffer").contains(id)) {
            throw SqlApiErrors.badRequest("Format " + id + " is not available on this server yet");
        }
        throw SqlApiErrors.badRequest("Invalid format: " + id);
    }
}
