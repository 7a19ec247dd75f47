package io.tessera.server.imports;

import io.tessera.server.datasets.TableNames;
import io.tessera.server.db.AdminDatabase;
import io.tessera.server.db.DatabaseEndpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Shapefile, GeoPackage, KML, GPX and XLSX through {@code ogr2ogr} into the staging schema, logged in as
 * the user's own owner role (its password in the environment). One table per non-empty layer (at most
 * 10, as CARTO); XLSX is converted to CSV (first sheet) and goes through {@link CsvLoader}, so it is
 * guessed exactly like a CSV. Column names are then normalised as CARTO's.
 */
public final class OgrLoader {
    private static final int MAX_LAYERS = 10;
    private static final Pattern DRIVER = Pattern.compile("using driver `([^']+)' successful");
    private static final Pattern LAYER = Pattern.compile("(?m)^Layer name: (.+)$");
    private static final Pattern COUNT = Pattern.compile("(?m)^Feature Count: (\\d+)$");

    private final Ogr ogr;
    private final DatabaseEndpoint db;
    private final String role;
    private final String password;

    public OgrLoader(Ogr ogr, DatabaseEndpoint db, String role, String password) {
        this.ogr = ogr;
        this.db = db;
        this.role = role;
        this.password = password;
    }

    public List<StagedTable> load(Path file, SourceFormat format, String baseName, LoadContext ctx)
            throws IOException, SQLException, ImportFailure {
        Map<String, String> env = new HashMap<>();
        if (format == SourceFormat.SHP) {
            checkShapefile(file, env);
        }
        Path work = file.getParent();
        Ogr.Result info = ogr.run(List.of("ogrinfo", "-ro", "-al", "-so", file.toString()), env, work, ctx.processes());
        Matcher d = DRIVER.matcher(info.stdout() + info.stderr());
        if (info.exit() != 0 || !d.find()) {
            throw new ImportFailure(unreadable(format), "GDAL cannot open the file: " + firstLine(info.stderr()));
        }
        if (!d.group(1).equals(expectedDriver(format))) {
            throw new ImportFailure(ImportErrorCodes.UNSUPPORTED, "opened by driver " + d.group(1) + ", expected " + expectedDriver(format));
        }
        List<String> layers = new ArrayList<>();
        List<Long> counts = new ArrayList<>();
        Matcher l = LAYER.matcher(info.stdout());
        Matcher c = COUNT.matcher(info.stdout());
        while (l.find()) {
            String layer = l.group(1).trim();
            if (layer.startsWith("-")) {
                // It goes on ogr2ogr's command line, where a leading '-' would read as an option.
                throw new ImportFailure(ImportErrorCodes.UNSUPPORTED, "the file has a layer whose name starts with '-'");
            }
            layers.add(layer);
            counts.add(c.find() ? Long.parseLong(c.group(1)) : 0);
        }
        if (format == SourceFormat.XLSX) {
            return List.of(viaCsv(file, layers.isEmpty() ? null : layers.get(0), baseName, env, ctx));
        }
        List<StagedTable> out = new ArrayList<>();
        List<Integer> nonEmpty = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            if (counts.get(i) > 0) {
                nonEmpty.add(i);
            }
        }
        if (nonEmpty.isEmpty()) {
            throw new ImportFailure(ImportErrorCodes.EMPTY_FILE, "no layer has features");
        }
        for (int i : nonEmpty.subList(0, Math.min(MAX_LAYERS, nonEmpty.size()))) {
            String table = ctx.stagingName(out.size() + 1);
            String name = nonEmpty.size() == 1 ? baseName : baseName + "_" + TableNames.normalize(layers.get(i), "layer");
            loadLayer(file, layers.get(i), table, env, ctx);
            long rows = tidy(ctx, table);
            ctx.progress().rows(rows);
            out.add(new StagedTable(table, name, rows, 0, 0));
        }
        return out;
    }

    private void loadLayer(Path file, String layer, String table, Map<String, String> baseEnv, LoadContext ctx)
            throws IOException, ImportFailure {
        Map<String, String> env = new HashMap<>(baseEnv);
        env.put("PGPASSWORD", password);
        env.put("PGOPTIONS", "-c statement_timeout=0");
        env.put("PG_USE_COPY", "YES");
        String pg = "PG:host=" + db.host() + " port=" + db.port() + " dbname=" + db.database() + " user=" + role;
        List<String> args = new ArrayList<>(List.of("ogr2ogr", "-f", "PostgreSQL", pg, file.toString(), layer,
                "-nln", table, "-lco", "SCHEMA=" + ctx.stagingSchema(), "-lco", "GEOMETRY_NAME=the_geom",
                "-lco", "FID=ogc_fid", "-lco", "PRECISION=NO", "-lco", "SPATIAL_INDEX=NONE", "-lco", "LAUNDER=YES",
                "-nlt", "GEOMETRY", "-dim", "XY", "-t_srs", "EPSG:4326", "-gt", "65536"));
        Ogr.Result r = ogr.run(args, env, file.getParent(), ctx.processes());
        if (r.exit() != 0) {
            String err = r.stderr();
            int code = err.contains("SRS") || err.contains("transformation") ? ImportErrorCodes.UNKNOWN_SRID : ImportErrorCodes.LOAD;
            throw new ImportFailure(code, "ogr2ogr failed: " + firstLine(err));
        }
    }

    /** Drops ogr2ogr's FID column and renames the others as CARTO normalises names; returns the rows. */
    private static long tidy(LoadContext ctx, String table) throws SQLException {
        String rel = AdminDatabase.quoteIdent(ctx.stagingSchema()) + "." + AdminDatabase.quoteIdent(table);
        List<String> cols = new ArrayList<>();
        try (PreparedStatement ps = ctx.owner().prepareStatement(
                "SELECT attname FROM pg_catalog.pg_attribute WHERE attrelid = ?::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum")) {
            ps.setString(1, rel);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    cols.add(rs.getString(1));
                }
            }
        }
        try (Statement s = ctx.owner().createStatement()) {
            Set<String> taken = new HashSet<>(List.of("the_geom", "the_geom_webmercator", "cartodb_id"));
            for (String col : cols) {
                if (col.equals("ogc_fid")) {
                    s.execute("ALTER TABLE " + rel + " DROP COLUMN ogc_fid");
                    continue;
                }
                if (col.equals("the_geom")) {
                    continue;
                }
                String n = TableNames.unique(TableNames.normalize(col, "field"), taken::contains);
                taken.add(n);
                if (!n.equals(col)) {
                    s.execute("ALTER TABLE " + rel + " RENAME COLUMN " + AdminDatabase.quoteIdent(col) + " TO " + AdminDatabase.quoteIdent(n));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + rel)) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private StagedTable viaCsv(Path file, String sheet, String baseName, Map<String, String> env, LoadContext ctx)
            throws IOException, SQLException, ImportFailure {
        if (sheet == null) {
            throw new ImportFailure(ImportErrorCodes.EMPTY_FILE, "the spreadsheet has no sheet");
        }
        Path csv = file.resolveSibling(file.getFileName() + ".csv");
        // GDAL 3.6 reads these as configuration options (its -oo HEADERS/FIELD_TYPES are ignored here)
        Map<String, String> xlsxEnv = new HashMap<>(env);
        xlsxEnv.put("OGR_XLSX_HEADERS", "FORCE");
        xlsxEnv.put("OGR_XLSX_FIELD_TYPES", "STRING");
        Ogr.Result r = ogr.run(List.of("ogr2ogr", "-f", "CSV", csv.toString(), file.toString(), sheet), xlsxEnv,
                file.getParent(), ctx.processes());
        if (r.exit() != 0 || !Files.exists(csv)) {
            throw new ImportFailure(ImportErrorCodes.XLS, "cannot read the spreadsheet: " + firstLine(r.stderr()));
        }
        return CsvLoader.load(new TextSource(csv), SourceFormat.CSV, baseName, ctx);
    }

    private static void checkShapefile(Path shp, Map<String, String> env) throws ImportFailure {
        String stem = shp.getFileName().toString().replaceAll("(?i)\\.shp$", "");
        if (sibling(shp, stem, "dbf") == null) {
            throw new ImportFailure(ImportErrorCodes.INVALID_SHP, "the shapefile has no .dbf");
        }
        if (sibling(shp, stem, "prj") == null) {
            throw new ImportFailure(ImportErrorCodes.MISSING_PRJ, "the shapefile has no .prj");
        }
        if (sibling(shp, stem, "shx") == null) {
            env.put("SHAPE_RESTORE_SHX", "YES");
        }
    }

    private static Path sibling(Path shp, String stem, String ext) {
        try (var files = Files.list(shp.getParent())) {
            return files.filter(p -> p.getFileName().toString().equalsIgnoreCase(stem + "." + ext)).findFirst().orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    private static String expectedDriver(SourceFormat f) {
        return switch (f) {
            case SHP -> "ESRI Shapefile";
            case GPKG -> "GPKG";
            case KML -> "KML";
            case GPX -> "GPX";
            case XLSX -> "XLSX";
            case CSV, TSV, GEOJSON, ZIP, GZIP, EMPTY, UNKNOWN -> "none";
        };
    }

    private static int unreadable(SourceFormat f) {
        return switch (f) {
            case SHP -> ImportErrorCodes.INVALID_SHP;
            case XLSX -> ImportErrorCodes.XLS;
            default -> ImportErrorCodes.UNSUPPORTED;
        };
    }

    private static String firstLine(String s) {
        String t = s.strip();
        int nl = t.indexOf('\n');
        return (nl < 0 ? t : t.substring(0, nl)).toLowerCase(Locale.ROOT).contains("password") ? "(connection failed)"
                : nl < 0 ? t : t.substring(0, nl);
    }
}
