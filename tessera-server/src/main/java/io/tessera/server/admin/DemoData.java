package io.tessera.server.admin;

import io.tessera.server.auth.Accounts;
import io.tessera.server.auth.User;
import io.tessera.server.db.AdminDatabase;
import io.tessera.server.db.Platform;
import io.tessera.server.db.RoleConnection;
import io.tessera.server.orgs.Organizations;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first-run demo: a {@code demo} user with the Natural Earth countries and populated places loaded
 * by {@code ogr2ogr} as the demo user's own role, cartodbfied and published as PUBLIC datasets.
 */
public final class DemoData {
    private static final Logger LOG = LoggerFactory.getLogger(DemoData.class);
    public static final String USER = "demo";
    /** The demo user owns this organization, so org-level clients (EUMAPI) work out of the box. */
    public static final String ORGANIZATION = "demo-org";
    static final List<String> LAYERS = List.of("naturalearth_lowres", "naturalearth_cities");
    private static final List<String> EXTENSIONS = List.of(".shp", ".shx", ".dbf", ".prj", ".cpg");

    private DemoData() {
    }

    /** Creates the demo user and its data if the user does not exist yet. Returns true if it was created. */
    public static boolean ensure(Platform platform) throws SQLException, IOException {
        if (platform.accounts().findUserUncached(USER).isPresent()) {
            ensureOrganization(platform);
            return false;
        }
        Accounts.Created created = platform.accounts().create(USER, "demo@localhost", null);
        ensureOrganization(platform);
        try {
            load(platform, created.user());
        } catch (IOException | SQLException e) {
            LOG.warn("Demo user created without sample data: {}", e.getMessage());
        }
        return true;
    }

    private static void ensureOrganization(Platform platform) throws SQLException {
        Organizations orgs = new Organizations(platform.admin(), platform.accounts());
        User demo = platform.accounts().findUserUncached(USER).orElseThrow();
        if (orgs.find(ORGANIZATION).isEmpty() && orgs.membership(demo).isEmpty()) {
            orgs.create(ORGANIZATION, USER);
        }
    }

    private static void load(Platform platform, User user) throws IOException, SQLException {
        Path dir = Files.createTempDirectory("tessera-sample");
        try {
            for (String layer : LAYERS) {
                for (String ext : EXTENSIONS) {
                    try (InputStream in = DemoData.class.getResourceAsStream("/sample-data/" + layer + ext)) {
                        if (in == null) {
                            throw new IOException("missing sample file " + layer + ext);
                        }
                        Files.copy(in, dir.resolve(layer + ext), StandardCopyOption.REPLACE_EXISTING);
                    }
                }
                ogr2ogr(platform, user, dir.resolve(layer + ".shp"), layer);
                try (RoleConnection c = platform.pools().connect(user.ownerRole()); Statement s = c.jdbc().createStatement()) {
                    s.execute("SELECT CDB_CartodbfyTable(" + AdminDatabase.quoteLiteral(user.schema()) + ", "
                            + AdminDatabase.quoteLiteral(layer) + ")");
                    s.execute("GRANT SELECT ON " + AdminDatabase.quoteIdent(layer) + " TO " + AdminDatabase.quoteIdent(user.publicRole()));
                }
            }
        } finally {
            io.tessera.server.db.EmbeddedPostgres.deleteTree(dir);
        }
    }

    private static void ogr2ogr(Platform platform, User user, Path shp, String table) throws IOException {
        var ep = platform.endpoint();
        String pg = "PG:host=" + ep.host() + " port=" + ep.port() + " dbname=" + ep.database() + " user=" + user.ownerRole();
        ProcessBuilder pb = new ProcessBuilder("ogr2ogr", "-f", "PostgreSQL", pg, shp.toString(), "-nln", table,
                "-lco", "SCHEMA=" + user.schema(), "-lco", "GEOMETRY_NAME=the_geom", "-lco", "FID=cartodb_id",
                "-lco", "SPATIAL_INDEX=GIST", "-lco", "PRECISION=NO", "-t_srs", "EPSG:4326", "-nlt", "PROMOTE_TO_MULTI", "-overwrite")
                .redirectErrorStream(true);
        // The password goes through the environment, never argv (decisions: security 13).
        pb.environment().put("PGPASSWORD", platform.rolePassword(user.ownerRole()));
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new IOException("ogr2ogr is not installed (Debian package gdal-bin)", e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("ogr2ogr failed loading " + table + ": " + out.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
