package io.tessera.server.imports;

import io.tessera.server.auth.User;
import io.tessera.server.datasets.TableNames;
import io.tessera.server.db.Platform;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One import, from a file on disk to published datasets: detect the format, unpack archives safely, load
 * each usable file into the user's staging schema (CSV/TSV/GeoJSON streamed through Java into COPY, the
 * rest through sandboxed ogr2ogr), then publish everything in one transaction. The connection is the
 * user's own owner role (the caller's connection). Whatever fails, the staging tables are dropped and the failure carries CARTO's
 * error code.
 */
public final class ImportPipeline {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ImportPipeline.class);
    private static final int MAX_FILES = 10;
    private static final Set<String> SHAPE_PARTS = Set.of("shx", "dbf", "prj", "cpg", "sbn", "sbx", "qix", "xml", "qmd");

    /** Where the pipeline reports its state ({@code unpacking}, {@code importing}, {@code guessing}) and rows. */
    public interface Listener {
        void state(String state);

        void rows(long rows);

        /** An external process (ogr2ogr) started for the import; stop it if the import is given up. */
        default void process(Process p) {
        }
    }

    /** What a finished import produced. */
    public record Result(List<Publisher.Published> tables, int skipped, long invalidGeometries, long raggedRows) {
    }

    private final Platform platform;
    private final StagingArea staging;
    private final ImportSettings settings;
    private final Ogr ogr;

    public ImportPipeline(Platform platform, ImportSettings settings) {
        this.platform = platform;
        this.settings = settings;
        this.staging = new StagingArea(platform.admin().dataSource());
        this.ogr = new Ogr(settings);
    }

    /**
     * @param file     the uploaded or downloaded file, in a work directory of this import only
     * @param importId a unique id, prefix of the staging table names
     */
    public Result run(User user, Connection c, Path file, String importId, ImportOptions options, Listener listener)
            throws ImportFailure {
        String prefix = "imp_" + importId.replace("-", "").substring(0, 16);
        List<StagedTable> staged = new ArrayList<>();
        String schema = null;
        try {
            try {
                schema = staging.ensure(user);
                try (Statement s = c.createStatement()) {
                    s.execute("SET statement_timeout = 0");
                }
                long started = System.nanoTime();
                listener.state("unpacking");
                List<Path> files = candidates(file);
                listener.state("importing");
                int n = 0;
                // A KMZ always holds doc.kml: its table is named after the upload, as CARTO's.
                String kmzName = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".kmz") && files.size() == 1
                        ? baseName(file) : null;
                for (Path f : files) {
                    n++;
                    LoadContext ctx = new LoadContext(c, schema, prefix + "_" + n, settings, options, listener::rows,
                            listener::process);
                    staged.addAll(load(user, f, kmzName != null ? kmzName : baseName(f), ctx));
                }
                long loaded = System.nanoTime();
                listener.state("guessing");
                List<Publisher.Published> published = Publisher.publish(c, user, schema, staged, options);
                LOG.info("import {}: {} rows loaded in {} ms, published in {} ms", importId,
                        staged.stream().mapToLong(StagedTable::rows).sum(), (loaded - started) / 1_000_000,
                        (System.nanoTime() - loaded) / 1_000_000);
                long invalid = staged.stream().mapToLong(StagedTable::invalidGeometries).sum();
                long ragged = staged.stream().mapToLong(StagedTable::raggedRows).sum();
                return new Result(published, staged.size() - published.size(), invalid, ragged);
            } finally {
                for (StagedTable t : staged) {
                    StagingArea.drop(c, schema, t.stagingName());
                }
                if (schema != null) {
                    dropLeftovers(c, schema, prefix);
                }
            }
        } catch (SQLException e) {
            throw new ImportFailure(sqlCode(e), "database error: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new ImportFailure(ImportErrorCodes.UPLOAD, "file error: " + e.getMessage(), e);
        }
    }

    private List<StagedTable> load(User user, Path f, String base, LoadContext ctx)
            throws IOException, SQLException, ImportFailure {
        SourceFormat format = FormatDetector.detect(f);
        return switch (format) {
            case CSV, TSV -> List.of(CsvLoader.load(new TextSource(f), format, base, ctx));
            case GEOJSON -> List.of(GeoJsonLoader.load(new TextSource(f), base, ctx));
            case KML, GPX, GPKG, SHP, XLSX -> new OgrLoader(ogr, platform.endpoint(), user.ownerRole(),
                    platform.rolePassword(user.ownerRole())).load(f, format, base, ctx);
            case EMPTY -> throw new ImportFailure(ImportErrorCodes.EMPTY_FILE, "the file is empty");
            case ZIP, GZIP, UNKNOWN -> throw new ImportFailure(ImportErrorCodes.UNSUPPORTED, "unsupported file " + f.getFileName());
        };
    }

    /** The files to load: the file itself, or the usable files of the archive (at most 10). */
    private List<Path> candidates(Path file) throws IOException, ImportFailure {
        SourceFormat format = FormatDetector.detect(file);
        if (!format.archive()) {
            return List.of(file);
        }
        Path dir = file.resolveSibling("unpacked");
        new SafeUnpacker(settings.maxUnpackedBytes(), settings.maxArchiveEntries()).unpack(file, format, dir);
        List<Path> out = new ArrayList<>();
        try (var all = Files.walk(dir)) {
            for (Path p : all.filter(Files::isRegularFile).sorted(Comparator.comparing(Path::toString)).toList()) {
                String name = p.getFileName().toString();
                String ext = name.contains(".") ? name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT) : "";
                if (name.startsWith(".") || p.toString().contains("__MACOSX") || SHAPE_PARTS.contains(ext)) {
                    continue;
                }
                SourceFormat f = FormatDetector.detect(p);
                if (f != SourceFormat.UNKNOWN && f != SourceFormat.EMPTY && !f.archive()) {
                    out.add(p);
                }
            }
        }
        if (out.isEmpty()) {
            throw new ImportFailure(ImportErrorCodes.UNSUPPORTED, "the archive holds no file that can be imported");
        }
        return out.size() > MAX_FILES ? out.subList(0, MAX_FILES) : out;
    }

    static String baseName(Path f) {
        String name = f.getFileName().toString();
        String lower = name.toLowerCase(Locale.ROOT);
        for (String ext : List.of(".tar.gz", ".csv.gz", ".gz", ".zip", ".kmz", ".csv", ".tsv", ".tab", ".txt", ".geojson",
                ".json", ".js", ".kml", ".gpx", ".gpkg", ".shp", ".xlsx")) {
            if (lower.endsWith(ext) && lower.length() > ext.length()) {
                name = name.substring(0, name.length() - ext.length());
                break;
            }
        }
        return TableNames.normalize(name, "untitled_table");
    }

    private static void dropLeftovers(Connection c, String schema, String prefix) {
        try (Statement s = c.createStatement();
             var rs = s.executeQuery("SELECT c.relname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                     + " WHERE n.nspname = " + io.tessera.server.db.AdminDatabase.quoteLiteral(schema)
                     + " AND c.relkind = 'r' AND c.relname LIKE " + io.tessera.server.db.AdminDatabase.quoteLiteral(prefix + "%"))) {
            List<String> names = new ArrayList<>();
            while (rs.next()) {
                names.add(rs.getString(1));
            }
            for (String n : names) {
                StagingArea.drop(c, schema, n);
            }
        } catch (SQLException e) {
            // best effort
        }
    }

    private static int sqlCode(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        if (state.equals("57014")) {
            return ImportErrorCodes.TIMEOUT;
        }
        if (state.startsWith("22") || state.equals("XX000")) {
            return ImportErrorCodes.LOAD;
        }
        return ImportErrorCodes.LOAD;
    }
}
