package io.tessera.server.imports;

import java.util.Map;

/**
 * CARTO's importer error codes (lib/cartodb/import_error_codes.rb, platform-api.md §1.5) and their
 * {@code get_error_text}: title (quoted exactly), what_about and source.
 */
public final class ImportErrorCodes {
    /** One entry of {@code get_error_text}. */
    public record Text(String title, String whatAbout, String source) {
    }

    public static final int UNSUPPORTED = 1002;
    public static final int EMPTY_FILE = 1005;
    public static final int DOWNLOAD = 1001;
    public static final int UPLOAD = 1000;
    public static final int DECOMPRESSION = 1003;
    public static final int XLS = 1004;
    public static final int INVALID_SHP = 1006;
    public static final int DOWNLOAD_TIMEOUT = 1020;
    public static final int NOT_FOUND = 1100;
    public static final int FORBIDDEN_URL = 1101;
    public static final int UNKNOWN_SERVER = 1102;
    public static final int PARTIAL_FILE = 1103;
    public static final int LOAD = 2001;
    public static final int ENCODING = 2002;
    public static final int MALFORMED_CSV = 2003;
    public static final int TOO_MANY_COLUMNS = 2004;
    public static final int INCOMPATIBLE_SCHEMAS = 2012;
    public static final int CANNOT_OVERWRITE = 2013;
    public static final int INVALID_GEOJSON = 3007;
    public static final int UNKNOWN_SRID = 3008;
    public static final int MISSING_PRJ = 3101;
    public static final int GEOMETRY_COLLECTION = 3201;
    public static final int TOO_BIG = 6666;
    public static final int TIMEOUT = 6667;
    public static final int STUCK = 6671;
    public static final int UNKNOWN = 99999;

    private static final String USER = "user";
    private static final String CARTODB = "cartodb";
    private static final Map<Integer, Text> TEXTS = Map.ofEntries(
            Map.entry(1, new Text("Install error", "Something went wrong installing the import. Please contact support.", CARTODB)),
            Map.entry(1000, new Text("File I/O error", "Something seems to be wrong with the file you uploaded. Check that it is not corrupted and try again.", USER)),
            Map.entry(1001, new Text("Download error", "We could not download the file. Check the URL and that the file is publicly reachable.", USER)),
            Map.entry(1002, new Text("Unsupported/Unrecognized file type", "Should we support this filetype? Let us know in our support forum. You can see the supported formats in our documentation.", USER)),
            Map.entry(1003, new Text("Decompression error", "The archive could not be unpacked. Check that it is not corrupted, not encrypted, and not too big once expanded.", USER)),
            Map.entry(1004, new Text("XLS/XLSX Error", "The spreadsheet could not be read. Try saving it as CSV.", USER)),
            Map.entry(1005, new Text("Empty file", "The file is empty or has no data rows.", USER)),
            Map.entry(1006, new Text("Invalid SHP file", "Your shapefile is missing files: a zipped shapefile needs .shp, .shx and .dbf (and .prj).", USER)),
            Map.entry(1014, new Text("Invalid name", "The file or table name is not valid.", USER)),
            Map.entry(1015, new Text("No results", "The import produced no data.", USER)),
            Map.entry(1019, new Text("Too Many Layers", "The file has too many layers.", USER)),
            Map.entry(1020, new Text("Download timeout", "The file took too long to download.", USER)),
            Map.entry(1022, new Text("All tables were skipped", "Every table of this import already existed and collision_strategy is skip.", USER)),
            Map.entry(1100, new Text("Download file not found", "The URL answered that the file does not exist.", USER)),
            Map.entry(1101, new Text("Forbidden file URL", "The URL refused to give us the file, or points at an address we do not fetch from.", USER)),
            Map.entry(1102, new Text("Unknown server URL", "The server of the URL could not be found.", USER)),
            Map.entry(1103, new Text("Partial file error", "The download ended before the whole file arrived.", USER)),
            Map.entry(2001, new Text("Unable to load data", "The data could not be loaded into the database.", CARTODB)),
            Map.entry(2002, new Text("Encoding detection error", "We could not detect the encoding of the file. Save it as UTF-8 and try again.", USER)),
            Map.entry(2003, new Text("Malformed CSV", "The CSV file is malformed: check quoting, line endings and that no line is absurdly long.", USER)),
            Map.entry(2004, new Text("Too many columns", "The file has more than 250 columns.", USER)),
            Map.entry(2005, new Text("Duplicated column", "The file has duplicated column names.", USER)),
            Map.entry(2012, new Text("Incompatible schemas", "The table to overwrite has different columns than the new data.", USER)),
            Map.entry(2013, new Text("Cannot overwrite table", "The table to overwrite could not be replaced.", USER)),
            Map.entry(2014, new Text("Invalid geometries", "The file contains geometries the database cannot read.", USER)),
            Map.entry(3007, new Text("JSON may not be valid GeoJSON", "The JSON file is not a GeoJSON FeatureCollection, Feature or geometry.", USER)),
            Map.entry(3008, new Text("Unknown SRID", "The projection of the file is not known.", USER)),
            Map.entry(3101, new Text("Missing projection (.prj) file", "Your shapefile needs a .prj file to know its projection.", USER)),
            Map.entry(3201, new Text("Geometry Collection not supported", "Geometry collections cannot be imported; split them into single geometry types.", USER)),
            Map.entry(6666, new Text("Dataset too big", "The file is bigger than the import size limit.", USER)),
            Map.entry(6667, new Text("Import timed out", "The import took longer than the time limit.", USER)),
            Map.entry(6668, new Text("Too many table rows", "The file has more rows than the import limit.", USER)),
            Map.entry(6669, new Text("Too many concurrent imports", "Wait for your running imports to finish.", USER)),
            Map.entry(6671, new Text("Stuck import job", "The import stopped making progress (its worker went away).", CARTODB)),
            Map.entry(99999, new Text("Unknown", "An unknown error happened during the import.", CARTODB)));

    private ImportErrorCodes() {
    }

    public static Text text(int code) {
        return TEXTS.getOrDefault(code, TEXTS.get(UNKNOWN));
    }
}
