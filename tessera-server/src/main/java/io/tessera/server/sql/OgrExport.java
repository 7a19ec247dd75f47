package io.tessera.server.sql;

import io.tessera.server.db.DatabaseEndpoint;
import io.tessera.server.http.ApiException;
import io.tessera.server.http.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The whole-file formats, kml, shp (zipped), gpkg and spatialite, written by {@code ogr2ogr} as CARTO
 * does (sql-api.md §2.6): the columns of the query with {@code the_geom} first, SRID and geometry type
 * from the first non-null geometry, the layer named after {@code filename}. ogr2ogr logs in as the key's
 * own role (password through its environment) in a {@link OgrSandbox}; the file is written to a private
 * temporary directory that is removed afterwards whatever happened (failure, timeout, client gone).
 * Since the file is complete before the first byte is sent, every error is a clean JSON error.
 */
final class OgrExport {
    private static final int FILE_TOO_LARGE = 128 + 25; // killed by SIGXFSZ

    private final DatabaseEndpoint endpoint;
    private final UnaryOperator<String> passwordOf;
    private final OgrSandbox sandbox;
    private final ExportLimits limits;

    OgrExport(DatabaseEndpoint endpoint, UnaryOperator<String> passwordOf, ExportLimits limits) {
        this.endpoint = endpoint;
        this.passwordOf = passwordOf;
        this.sandbox = new OgrSandbox(limits);
        this.limits = limits;
    }

    /** Exports {@code sql} as the key's {@code role}; ogr2ogr runs under the export timeout (CARTO's export_command_timeout). */
    void export(Connection c, String role, String sql, SqlParams p, SqlResponse response) throws SQLException, IOException {
        List<String> names = ExportColumns.of(c, sql, p.skipfields());
        String layer = SqlResponse.filename(p.filename());
        List<String> args = new ArrayList<>(List.of("-sql", ExportColumns.select(names, sql, ""), "-nln", layer));
        if (names.contains("the_geom")) {
            geometryOf(c, sql, args);
        }
        OgrSandbox.Driver driver = switch (p.format()) {
            case KML -> OgrSandbox.Driver.KML;
            case SHP -> {
                args.addAll(List.of("-lco", "ENCODING=UTF-8", "-lco", "RESIZE=YES"));
                yield OgrSandbox.Driver.SHAPEFILE;
            }
            case GPKG -> {
                args.addAll(List.of("-lco", "FID=cartodb_id"));
                yield OgrSandbox.Driver.GPKG;
            }
            case SPATIALITE -> {
                args.addAll(List.of("-dsco", "SPATIALITE=YES"));
                yield OgrSandbox.Driver.SQLITE;
            }
            default -> throw new IllegalArgumentException("not an ogr2ogr format: " + p.format());
        };
        Path dir = Files.createTempDirectory("tessera-export-", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        try {
            Path out = driver == OgrSandbox.Driver.SHAPEFILE ? dir.resolve("out") : dir.resolve("export." + p.format().extension());
            OgrSandbox.Outcome o;
            try {
                o = sandbox.run(driver, out, conninfo(role), args, passwordOf.apply(role), limits.ogrTimeoutMs(), dir);
            } catch (IOException e) {
                String m = "export failed: cannot run ogr2ogr (" + e.getMessage() + ")";
                throw new ApiException(500, Json.errorList(m), m);
            }
            if (o.timedOut()) {
                throw SqlApiErrors.timeout();
            }
            if (o.exitCode() == FILE_TOO_LARGE) {
                throw SqlApiErrors.badRequest("The export is larger than this server's limit of " + limits.ogrMaxBytes() + " bytes");
            }
            if (o.exitCode() != 0) {
                String m = "ogr2ogr command return code " + o.exitCode() + ", Error: " + o.stderr();
                throw new ApiException(400, Json.errorList(m), m);
            }
            try (OutputStream body = response.start()) {
                if (driver == OgrSandbox.Driver.SHAPEFILE) {
                    zip(out, body);
                } else {
                    Files.copy(out, body);
                }
            }
        } finally {
            deleteTree(dir);
        }
    }

    /** CARTO passes the SRID and type of the first non-null geometry, so every row must match it. */
    private static void geometryOf(Connection c, String sql, List<String> args) throws SQLException {
        String probe = "SELECT public.ST_SRID(the_geom), public.GeometryType(the_geom) FROM (" + sql + ") AS " + ExportColumns.ALIAS
                + " WHERE the_geom IS NOT NULL LIMIT 1";
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(probe)) {
            if (rs.next()) {
                if (rs.getInt(1) > 0) {
                    args.addAll(List.of("-a_srs", "EPSG:" + rs.getInt(1)));
                }
                if (rs.getString(2) != null) {
                    args.addAll(List.of("-nlt", rs.getString(2)));
                }
            }
        }
    }

    private String conninfo(String role) {
        return "host=" + quote(endpoint.host()) + " port=" + endpoint.port() + " dbname=" + quote(endpoint.database())
                + " user=" + quote(role) + " sslmode=disable";
    }

    private static String quote(String v) {
        return "'" + v.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    private static void zip(Path dir, OutputStream body) throws IOException {
        ZipOutputStream zip = new ZipOutputStream(body);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                zip.putNextEntry(new ZipEntry(f.getFileName().toString()));
                Files.copy(f, zip);
                zip.closeEntry();
            }
        }
        zip.finish();
    }

    static void deleteTree(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path f : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            org.slf4j.LoggerFactory.getLogger(OgrExport.class).warn("could not remove export directory {}: {}", dir, e.toString());
        }
    }
}
