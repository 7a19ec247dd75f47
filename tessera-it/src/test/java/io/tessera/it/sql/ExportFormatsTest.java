package io.tessera.it.sql;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessera.it.TesseraHarness;
import io.tessera.server.auth.Accounts;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/**
 * The SQL API's file formats (sql-api.md §2.5–2.8), each opened by a real reader: ogrinfo for kml, shp,
 * gpkg and spatialite, an XML parser for kml and svg, a JSON parser (with a shared-arc check) for topojson.
 */
class ExportFormatsTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SQUARES = "SELECT cartodb_id, name, the_geom FROM parcels ORDER BY cartodb_id";
    private static Accounts.Created user;

    @TempDir
    Path tmp;

    @BeforeAll
    static void setUp() {
        user = TesseraHarness.newUser("export");
        TesseraHarness.master(user).send("CREATE TABLE parcels (name text, the_geom geometry(Polygon, 4326));"
                + "INSERT INTO parcels VALUES ('west', ST_GeomFromText('POLYGON((0 0,1 0,1 1,0 1,0 0))', 4326)),"
                + " ('east', ST_GeomFromText('POLYGON((1 0,2 0,2 1,1 1,1 0))', 4326));"
                + "SELECT CDB_CartodbfyTable('parcels')");
    }

    private static HttpResponse<byte[]> export(String q, String format, String filename) throws Exception {
        String url = TesseraHarness.url("/user/" + user.user().username() + "/api/v2/sql?api_key=" + user.masterKey()
                + "&format=" + format + (filename == null ? "" : "&filename=" + URLEncoder.encode(filename, StandardCharsets.UTF_8))
                + "&q=" + URLEncoder.encode(q, StandardCharsets.UTF_8));
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String header(HttpResponse<?> r, String name) {
        return r.headers().firstValue(name).orElse("");
    }

    private static String ogrinfo(Path file) throws Exception {
        Process p = new ProcessBuilder("ogrinfo", "-ro", "-al", "-so", file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        return out;
    }

    private static Set<Path> exportDirs() throws Exception {
        try (Stream<Path> s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return new HashSet<>(s.filter(f -> f.getFileName().toString().startsWith("tessera-export-")).toList());
        }
    }

    private static Document xml(byte[] body) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(body));
    }

    @Test
    void kmlOpensInOgrinfoAndAsXml() throws Exception {
        HttpResponse<byte[]> r = export(SQUARES, "kml", null);
        assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        assertThat(header(r, "Content-Type")).isEqualTo("application/kml; charset=utf-8");
        assertThat(header(r, "Content-Disposition")).startsWith("attachment; filename=cartodb-query.kml; modification-date=\"");
        Path f = Files.write(tmp.resolve("a.kml"), r.body());
        assertThat(ogrinfo(f)).contains("Feature Count: 2");
        assertThat(xml(r.body()).getElementsByTagNameNS("*", "Placemark").getLength()).isEqualTo(2);
    }

    @Test
    void shapefileIsAZipNamedAfterTheFilename() throws Exception {
        HttpResponse<byte[]> r = export(SQUARES, "shp", "my parcels");
        assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        assertThat(header(r, "Content-Type")).isEqualTo("application/zip; charset=utf-8");
        assertThat(header(r, "Content-Disposition")).startsWith("attachment; filename=my_parcels.zip; ");
        Set<String> names = new HashSet<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(r.body()))) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                names.add(e.getName());
                Files.copy(zip, tmp.resolve(e.getName()));
            }
        }
        assertThat(names).contains("my_parcels.shp", "my_parcels.shx", "my_parcels.dbf", "my_parcels.prj");
        String info = ogrinfo(tmp.resolve("my_parcels.shp"));
        assertThat(info).contains("Feature Count: 2").contains("Geometry: Polygon").contains("name: String");
    }

    @Test
    void geopackageAndSpatialiteOpenInOgrinfo() throws Exception {
        HttpResponse<byte[]> g = export(SQUARES, "gpkg", "parcels");
        assertThat(g.statusCode()).as(new String(g.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        assertThat(header(g, "Content-Type")).isEqualTo("application/x-sqlite3; charset=utf-8");
        assertThat(header(g, "Content-Disposition")).startsWith("attachment; filename=parcels.gpkg; ");
        String gi = ogrinfo(Files.write(tmp.resolve("p.gpkg"), g.body()));
        assertThat(gi).contains("using driver `GPKG'").contains("Layer name: parcels").contains("Feature Count: 2")
                .contains("FID Column = cartodb_id");

        HttpResponse<byte[]> s = export(SQUARES, "spatialite", null);
        assertThat(s.statusCode()).as(new String(s.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        assertThat(header(s, "Content-Type")).isEqualTo("application/x-sqlite3; charset=utf-8");
        assertThat(header(s, "Content-Disposition")).startsWith("attachment; filename=cartodb-query.sqlite; ");
        String si = ogrinfo(Files.write(tmp.resolve("p.sqlite"), s.body()));
        assertThat(si).contains("using driver `SQLite'").contains("Feature Count: 2").contains("Geometry: Polygon");
    }

    @Test
    void ogrFailureIsACleanErrorAndLeavesNoFiles() throws Exception {
        Set<String> before = new HashSet<>(exportDirs().stream().map(Path::toString).toList());
        HttpResponse<byte[]> r = export("SELECT ST_SetSRID(ST_MakePoint(0, 0), 4326) AS the_geom UNION ALL"
                + " SELECT ST_SetSRID(ST_MakeLine(ST_MakePoint(0, 0), ST_MakePoint(1, 1)), 4326)", "shp", null);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(header(r, "Content-Type")).startsWith("application/json");
        JsonNode err = JSON.readTree(r.body());
        assertThat(err.get("error").get(0).asText()).startsWith("ogr2ogr command return code ")
                .contains("Attempt to write non-point (LINESTRING) geometry to point shapefile");
        export(SQUARES, "gpkg", null);
        assertThat(fresh(before)).isEmpty();
    }

    @Test
    void clientGoneMidExportLeavesNoFiles() throws Exception {
        Set<String> before = new HashSet<>(exportDirs().stream().map(Path::toString).toList());
        String path = "/user/" + user.user().username() + "/api/v2/sql?api_key=" + user.masterKey() + "&format=gpkg&q="
                + URLEncoder.encode("SELECT i AS cartodb_id, ST_SetSRID(ST_MakePoint(i, i), 4326) AS the_geom"
                + " FROM generate_series(1, 400000) i", StandardCharsets.UTF_8);
        URI base = URI.create(TesseraHarness.url("/"));
        try (java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort())) {
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            // Hang up while ogr2ogr is writing the file.
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (fresh(before).isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(fresh(before)).as("the export started").isNotEmpty();
        }
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (!fresh(before).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(fresh(before)).as("temporary export directories left behind").isEmpty();
    }

    private static List<String> fresh(Set<String> before) throws Exception {
        return exportDirs().stream().map(Path::toString).filter(d -> !before.contains(d)).toList();
    }

    @Test
    void topojsonSharesTheBorderOfAdjacentPolygons() throws Exception {
        HttpResponse<byte[]> r = export(SQUARES, "topojson", null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(header(r, "Content-Type")).isEqualTo("application/json; charset=utf-8");
        assertThat(header(r, "Content-Disposition")).startsWith("attachment; filename=cartodb-query.topojson; ");
        JsonNode t = JSON.readTree(r.body());
        assertThat(t.get("type").asText()).isEqualTo("Topology");
        JsonNode west = t.get("objects").get("0");
        JsonNode east = t.get("objects").get("1");
        assertThat(west.get("type").asText()).isEqualTo("Polygon");
        assertThat(west.get("properties").get("name").asText()).isEqualTo("west");
        assertThat(east.get("properties").get("cartodb_id").asInt()).isEqualTo(2);
        Set<Integer> westArcs = arcsOf(west);
        Set<Integer> eastArcs = arcsOf(east);
        westArcs.retainAll(eastArcs);
        assertThat(westArcs).as("an arc used by both polygons").hasSize(1);
        // The shared arc decodes to the common border x = 1, from y = 0 to y = 1 (in either direction),
        // within the quantization step (extent / 10^4).
        List<double[]> border = decode(t, westArcs.iterator().next());
        assertThat(border).hasSize(2);
        var step = org.assertj.core.data.Offset.offset(2.0 / 9999);
        assertThat(border.get(0)[0]).isCloseTo(1.0, step);
        assertThat(border.get(1)[0]).isCloseTo(1.0, step);
        assertThat(Math.min(border.get(0)[1], border.get(1)[1])).isCloseTo(0.0, step);
        assertThat(Math.max(border.get(0)[1], border.get(1)[1])).isCloseTo(1.0, step);
        assertThat(t.get("arcs").size()).as("3 arcs: west, east and the border, once").isEqualTo(3);
    }

    private static Set<Integer> arcsOf(JsonNode polygon) {
        Set<Integer> out = new HashSet<>();
        for (JsonNode ring : polygon.get("arcs")) {
            for (JsonNode a : ring) {
                int i = a.asInt();
                out.add(i < 0 ? ~i : i);
            }
        }
        return out;
    }

    private static List<double[]> decode(JsonNode topology, int arc) {
        JsonNode tr = topology.get("transform");
        double sx = tr.get("scale").get(0).asDouble();
        double sy = tr.get("scale").get(1).asDouble();
        double tx = tr.get("translate").get(0).asDouble();
        double ty = tr.get("translate").get(1).asDouble();
        long x = 0;
        long y = 0;
        List<double[]> out = new java.util.ArrayList<>();
        for (JsonNode d : topology.get("arcs").get(arc)) {
            x += d.get(0).asLong();
            y += d.get(1).asLong();
            out.add(new double[] {x * sx + tx, y * sy + ty});
        }
        return out;
    }

    @Test
    void svgHasTheDataExtentAsViewBox() throws Exception {
        HttpResponse<byte[]> r = export(SQUARES, "svg", null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(header(r, "Content-Type")).isEqualTo("image/svg+xml; charset=utf-8");
        assertThat(header(r, "Content-Disposition")).startsWith("attachment; filename=cartodb-query.svg; ");
        Document d = xml(r.body());
        assertThat(d.getDocumentElement().getLocalName()).isEqualTo("svg");
        // 2 x 1 degrees, wider than 4:3, so scaled to 1024 wide.
        assertThat(d.getDocumentElement().getAttribute("viewBox")).isEqualTo("0 0 1024 512");
        assertThat(d.getElementsByTagNameNS("http://www.w3.org/2000/svg", "path").getLength()).isEqualTo(2);

        Document pts = xml(export("SELECT ST_SetSRID(ST_MakePoint(0, 0), 4326) AS the_geom UNION ALL"
                + " SELECT 'SRID=4326;MULTIPOINT((3 3),(6 0))'::geometry", "svg", null).body());
        assertThat(pts.getElementsByTagNameNS("http://www.w3.org/2000/svg", "circle").getLength()).isEqualTo(3);
        assertThat(pts.getDocumentElement().getAttribute("viewBox")).isEqualTo("0 0 1024 512");
    }

    @Test
    void inMemoryFormatsAreCappedWithAClearError() throws Exception {
        HttpResponse<byte[]> r = export("SELECT ST_SetSRID(ST_MakePoint(i, i), 4326) AS the_geom FROM generate_series(1, 100001) i",
                "svg", null);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(r.body()).get("error").get(0).asText())
                .isEqualTo("svg output is limited to 100000 rows on this server (TESSERA_EXPORT_MAX_ROWS); "
                        + "ask for fewer rows or use format=geojson");
    }
}
