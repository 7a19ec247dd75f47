package io.tessera.server.imports;

/** What an input file is, decided from its first bytes and its name ({@link FormatDetector}). */
public enum SourceFormat {
    CSV, TSV, GEOJSON, KML, GPX, GPKG, SHP, XLSX, ZIP, GZIP, EMPTY, UNKNOWN;

    /** Formats that go through ogr2ogr (the rest stream through Java or are archives). */
    public boolean viaOgr() {
        return switch (this) {
            case KML, GPX, GPKG, SHP, XLSX -> true;
            case CSV, TSV, GEOJSON, ZIP, GZIP, EMPTY, UNKNOWN -> false;
        };
    }

    public boolean archive() {
        return this == ZIP || this == GZIP;
    }
}
