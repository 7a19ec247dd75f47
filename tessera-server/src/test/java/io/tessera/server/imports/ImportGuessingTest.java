package io.tessera.server.imports;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.server.auth.User;
import io.tessera.server.datasets.Privacy;
import io.tessera.server.db.Platform;
import io.tessera.server.db.RoleConnection;
import io.tessera.server.testing.TestPostgis;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Type and geometry guessing, name normalisation and collisions, checked against the real PostGIS; the
 * column types are compared with what ogr2ogr (CARTO's importer) detects with CARTO's options.
 */
class ImportGuessingTest {
    @TempDir
    static Path work;
    private static Platform platform;
    private static User user;
    private static ImportPipeline pipeline;

    @BeforeAll
    static void setUp() {
        platform = TestPostgis.platform();
        user = TestPostgis.newUser("guess").user();
        pipeline = new ImportPipeline(platform, ImportSettings.load(Map.of(), work));
    }

    private static Path resource(String name) throws Exception {
        Path dir = Files.createDirectories(work.resolve(UUID.randomUUID().toString()));
        try (InputStream in = ImportGuessingTest.class.getResourceAsStream("/imports/" + name)) {
            Files.copy(in, dir.resolve(name));
        }
        return dir.resolve(name);
    }

    private static Publisher.Published importOne(String name, ImportOptions options) throws Exception {
        ImportPipeline.Result r = ImportCorpusTest.run(pipeline, user, resource(name), options);
        assertThat(r.tables()).hasSize(1);
        return r.tables().get(0);
    }

    private static Map<String, String> columnTypes(String table) throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        try (RoleConnection rc = platform.pools().connect(user.ownerRole()); Statement s = rc.jdbc().createStatement();
             ResultSet rs = s.executeQuery("SELECT a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_attribute a "
                     + "WHERE a.attrelid = '\"" + user.schema() + "\".\"" + table + "\"'::regclass AND a.attnum > 0 "
                     + "AND NOT a.attisdropped ORDER BY a.attnum")) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getString(2));
            }
        }
        return out;
    }

    private static List<List<String>> rows(String sql) throws Exception {
        List<List<String>> out = new ArrayList<>();
        try (RoleConnection rc = platform.pools().connect(user.ownerRole()); Statement s = rc.jdbc().createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.add(rs.getString(i));
                }
                out.add(row);
            }
        }
        return out;
    }

    /** CARTO's type family of a PostgreSQL type. */
    private static String family(String pgType) {
        if (pgType.startsWith("timestamp") || pgType.equals("date")) {
            return "date";
        }
        if (pgType.equals("boolean")) {
            return "boolean";
        }
        if (pgType.matches("integer|bigint|numeric|double precision|real|smallint")) {
            return "number";
        }
        return pgType.startsWith("geometry") ? "geometry" : "string";
    }

    /** What ogr2ogr detects with CARTO's CSV options, by laundered column name. */
    private static Map<String, String> ogrFamilies(Path csv) throws Exception {
        Process p = new ProcessBuilder("ogrinfo", "-ro", "-al", "-so", "-oo", "AUTODETECT_TYPE=YES",
                "-oo", "QUOTED_FIELDS_AS_STRING=NO", csv.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        Map<String, String> m = new LinkedHashMap<>();
        Matcher f = Pattern.compile("(?m)^(\\w[\\w ]*): (\\w+(\\(Boolean\\))?) \\(").matcher(out);
        while (f.find()) {
            String t = f.group(2);
            String family = t.equals("Integer(Boolean)") ? "boolean" : t.matches("Integer|Integer64|Real") ? "number"
                    : t.matches("Date|DateTime") ? "date" : "string";
            m.put(io.tessera.server.datasets.TableNames.normalize(f.group(1), "x"), family); // CARTO names: "when" → "_when"
        }
        return m;
    }

    @Test
    void csvTypesFollowOgr2ogrExceptLeadingZeros() throws Exception {
        Publisher.Published p = importOne("points.csv", ImportOptions.defaults());
        Map<String, String> types = columnTypes(p.name());
        assertThat(List.copyOf(types.keySet())).startsWith("cartodb_id", "the_geom", "the_geom_webmercator");
        Map<String, String> oracle = ogrFamilies(resource("points.csv"));
        assertThat(oracle).containsKeys("id", "price", "big", "_when", "flag", "latitude", "zip_code");
        oracle.remove("geometry"); // the layer geometry ogrinfo reports, not a column
        oracle.forEach((col, family) -> {
            // CARTO keeps leading zeros (zip codes) as text, where plain ogr2ogr reads an integer.
            String expected = col.equals("zip_code") ? "string" : family;
            assertThat(types).as("oracle column " + col).containsKey(col);
            assertThat(family(types.get(col))).as(col + " is " + types.get(col)).isEqualTo(expected);
        });
        assertThat(rows("SELECT zip_code, price, big::text, ST_AsText(the_geom), ST_SRID(the_geom_webmercator) IS NOT NULL"
                + " FROM \"" + user.schema() + "\".\"" + p.name() + "\" ORDER BY cartodb_id").get(0))
                .containsExactly("01234", "1,5", "99999999999999999999", "POINT(-3.7038 40.4168)", "t");
    }

    @Test
    void encodingsAreConvertedAndBomDropped() throws Exception {
        Publisher.Published latin = importOne("latin1.csv", ImportOptions.defaults());
        assertThat(rows("SELECT name, city FROM \"" + user.schema() + "\".\"" + latin.name() + "\" ORDER BY cartodb_id"))
                .containsExactly(List.of("Café", "Málaga"), List.of("Niño", "€uro"));
        Publisher.Published bom = importOne("bom.csv", ImportOptions.defaults());
        assertThat(columnTypes(bom.name())).containsKeys("name", "value");
        assertThat(columnTypes(bom.name()).get("value")).isEqualTo("integer");
    }

    @Test
    void geometriesFromWktColumnsAndGeoJson() throws Exception {
        Publisher.Published wkt = importOne("wkt_column.csv", ImportOptions.defaults());
        assertThat(rows("SELECT ST_GeometryType(the_geom) FROM \"" + user.schema() + "\".\"" + wkt.name() + "\" ORDER BY cartodb_id"))
                .containsExactly(List.of("ST_Point"), List.of("ST_LineString"));
        Publisher.Published gj = importOne("points.geojson", ImportOptions.defaults());
        assertThat(columnTypes(gj.name())).containsEntry("pop", "integer").containsEntry("capital", "boolean");
        assertThat(rows("SELECT name, ST_GeometryType(the_geom) FROM \"" + user.schema() + "\".\"" + gj.name() + "\" ORDER BY cartodb_id"))
                .containsExactly(List.of("Madrid", "ST_Point"), List.of("Barcelona", "ST_Point"), List.of("Square", "ST_Polygon"));
        Publisher.Published bad = importOne("invalid_geometries.geojson", ImportOptions.defaults());
        // a point, and an empty polygon ("coordinates": []); the unreadable ones keep their rows without geometry
        assertThat(rows("SELECT n, ST_IsEmpty(the_geom) FROM \"" + user.schema() + "\".\"" + bad.name()
                + "\" WHERE the_geom IS NOT NULL ORDER BY n")).containsExactly(List.of("1", "f"), List.of("5", "t"));
        Publisher.Published range = importOne("latlon_out_of_range.csv", ImportOptions.defaults());
        assertThat(rows("SELECT name FROM \"" + user.schema() + "\".\"" + range.name() + "\" WHERE the_geom IS NOT NULL"))
                .containsExactly(List.of("ok"));
    }

    @Test
    void namesCollideWithSuffixesUnlessOverwrite() throws Exception {
        Publisher.Published first = importOne("tabbed.tsv", ImportOptions.defaults());
        Publisher.Published second = importOne("tabbed.tsv", ImportOptions.defaults());
        Publisher.Published third = importOne("tabbed.tsv", ImportOptions.defaults());
        assertThat(List.of(first.name(), second.name(), third.name())).containsExactly("tabbed", "tabbed_1", "tabbed_2");
        ImportOptions overwrite = new ImportOptions(true, true, false, false, Privacy.PRIVATE, null, "overwrite");
        Publisher.Published again = importOne("tabbed.tsv", overwrite);
        assertThat(again.name()).isEqualTo("tabbed");
        assertThat(again.visualizationId()).isEqualTo(first.visualizationId());
        ImportOptions named = new ImportOptions(false, true, false, false, Privacy.PRIVATE, "My Table!", null);
        Publisher.Published custom = importOne("tabbed.tsv", named);
        assertThat(custom.name()).isEqualTo("my_table");
        assertThat(columnTypes(custom.name()).get("total")).isEqualTo("text");
    }

    @Test
    void ogrFormatsGetCartodbfiedTables() throws Exception {
        for (String f : List.of("places.kml", "places.gpkg", "streets_shp.zip", "places.kmz")) {
            Publisher.Published p = importOne(f, ImportOptions.defaults());
            Map<String, String> types = columnTypes(p.name());
            assertThat(List.copyOf(types.keySet())).as(f).startsWith("cartodb_id", "the_geom", "the_geom_webmercator");
            assertThat(types).as(f).containsKey("name").doesNotContainKey("ogc_fid");
            assertThat(types.get("the_geom")).isEqualTo("geometry(Geometry,4326)");
        }
    }
}
