package io.tessera.server.imports;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * CSV/TSV/TXT straight into COPY, in two streaming passes over the file: the first decides the encoding
 * (strict UTF-8, else Windows-1252), the columns and their types; the second converts each record and
 * COPYs it into a staging table (lat/lon pairs become the point geometry as EWKB on the way). Memory
 * holds one record at a time.
 */
public final class CsvLoader {
    static final List<String> X_NAMES = List.of("longitude", "lon", "lng", "longitudedecimal", "longitud", "long",
            "decimallongitude", "decimallong", "point_longitude");
    static final List<String> Y_NAMES = List.of("latitude", "lat", "latitudedecimal", "latitud", "lati",
            "decimallatitude", "decimallat", "point_latitude");
    private static final Set<String> GEOMETRY_NAMES = Set.of("geometry", "the_geom", "wkb_geometry", "geom", "geojson", "wkt");
    private static final int PROGRESS_EVERY = 50_000;

    private CsvLoader() {
    }

    /** What pass one learned. */
    private record Shape(char delimiter, List<String> names, List<ColumnType> types, int lonIndex, int latIndex, long records) {
    }

    public static StagedTable load(TextSource src, SourceFormat format, String proposedName, LoadContext ctx)
            throws IOException, SQLException, ImportFailure {
        Shape shape;
        try {
            shape = scan(src, format, ctx);
        } catch (CharacterCodingException e) {
            if (!src.fallback()) {
                throw new ImportFailure(ImportErrorCodes.ENCODING, "cannot decode the file: " + e.getMessage());
            }
            shape = scan(src, format, ctx);
        }
        boolean points = shape.lonIndex >= 0;
        List<TableLayout.Col> cols = new ArrayList<>();
        for (int i = 0; i < shape.names.size(); i++) {
            cols.add(new TableLayout.Col(shape.names.get(i), shape.types.get(i)));
        }
        TableLayout layout = TableLayout.of(cols, points);
        String table = ctx.stagingName(1);
        layout.create(ctx.owner(), ctx.stagingSchema(), table);
        long ragged = 0;
        long invalid = 0;
        int width = shape.names.size();
        try (Reader r = src.open(); CopyRows copy = new CopyRows(ctx.owner(), layout.copySql(ctx.stagingSchema(), table))) {
            CsvParser p = new CsvParser(r, shape.delimiter, ctx.settings().maxRecordBytes());
            p.next(); // header
            while (p.next()) {
                List<String> f = p.fields();
                if (f.size() != width) {
                    ragged++;
                }
                if (points) {
                    String geom = point(get(f, shape.lonIndex), get(f, shape.latIndex));
                    if (geom == null) {
                        invalid++;
                    }
                    copy.value(geom);
                }
                for (int i = 0; i < width; i++) {
                    String v = get(f, i);
                    ColumnType t = shape.types.get(i);
                    copy.value(v == null || (t != ColumnType.TEXT && v.isBlank()) ? null : t.copyValue(v));
                }
                copy.endRow();
                if (copy.rows() % PROGRESS_EVERY == 0) {
                    ctx.progress().rows(copy.rows());
                }
            }
            copy.finish();
            ctx.progress().rows(copy.rows());
            return new StagedTable(table, proposedName, copy.rows(), invalid, ragged);
        }
    }

    private static Shape scan(TextSource src, SourceFormat format, LoadContext ctx) throws IOException, ImportFailure {
        try (Reader r = src.open()) {
            char delimiter = format == SourceFormat.TSV ? '\t' : CsvParser.guessDelimiter(firstLine(src));
            CsvParser p = new CsvParser(r, delimiter, ctx.settings().maxRecordBytes());
            if (!p.next()) {
                throw new ImportFailure(ImportErrorCodes.EMPTY_FILE, "the file has no lines");
            }
            List<String> header = new ArrayList<>(p.fields());
            List<String> plain = TableLayout.columnNames(header, false);
            int lon = indexOfAny(plain, X_NAMES);
            int lat = indexOfAny(plain, Y_NAMES);
            boolean points = ctx.options().typeGuessing() && lon >= 0 && lat >= 0;
            List<String> names = points ? TableLayout.columnNames(header, true) : plain;
            if (!points) {
                lon = lat = -1;
                names = asGeometryColumn(names);
            }
            List<TypeGuesser> guessers = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                guessers.add(new TypeGuesser());
            }
            boolean quotedAsText = !ctx.options().quotedFieldsGuessing();
            while (p.next()) {
                List<String> f = p.fields();
                int n = Math.min(f.size(), guessers.size());
                for (int i = 0; i < n; i++) {
                    guessers.get(i).offer(f.get(i), quotedAsText && p.quoted(i));
                }
            }
            List<ColumnType> types = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                boolean text = !ctx.options().typeGuessing() || names.get(i).equals("the_geom");
                types.add(text ? ColumnType.TEXT : guessers.get(i).type());
            }
            return new Shape(delimiter, names, types, lon, lat, p.records() - 1);
        }
    }

    /** Without lat/lon, the first geometry-named column (WKT, GeoJSON, hex WKB text) becomes the_geom. */
    private static List<String> asGeometryColumn(List<String> names) {
        List<String> out = new ArrayList<>(names);
        if (out.contains("the_geom")) {
            return out;
        }
        for (int i = 0; i < out.size(); i++) {
            if (GEOMETRY_NAMES.contains(out.get(i))) {
                out.set(i, "the_geom");
                break;
            }
        }
        return out;
    }

    private static String firstLine(TextSource src) throws IOException {
        try (Reader r = src.open()) {
            StringBuilder sb = new StringBuilder();
            int c;
            while ((c = r.read()) != -1 && c != '\n' && c != '\r' && sb.length() < 65536) {
                sb.append((char) c);
            }
            return sb.toString();
        }
    }

    private static int indexOfAny(List<String> names, List<String> wanted) {
        for (String w : wanted) {
            int i = names.indexOf(w);
            if (i >= 0) {
                return i;
            }
        }
        return -1;
    }

    private static String get(List<String> f, int i) {
        return i < f.size() ? f.get(i) : null;
    }

    /** The point for a lon/lat pair, or null when either is missing, not a number or out of range. */
    static String point(String lon, String lat) {
        if (lon == null || lat == null) {
            return null;
        }
        try {
            double x = Double.parseDouble(lon.trim());
            double y = Double.parseDouble(lat.trim());
            if (!(x >= -180 && x <= 180 && y >= -90 && y <= 90)) {
                return null;
            }
            return Ewkb.point(x, y);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
