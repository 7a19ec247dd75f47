package io.tessera.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessera.dist.Main;
import io.tessera.cli.CliContext;
import io.tessera.cli.CliMain;
import io.tessera.server.auth.Accounts;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tessera sql} as a user runs it: credentials from the environment or flags, against a real server. */
class CliEndToEndTest {
    private static Accounts.Created user;

    @TempDir
    Path home;

    @BeforeAll
    static void setUp() {
        user = TesseraHarness.newUser("cli");
        TesseraHarness.master(user).send("CREATE TABLE towns (cartodb_id serial PRIMARY KEY, name text, the_geom geometry(Point,4326));"
                + "INSERT INTO towns (name, the_geom) VALUES ('Oslo', ST_SetSRID(ST_MakePoint(10.75, 59.91), 4326)),"
                + " ('Bergen, \"west\"', ST_SetSRID(ST_MakePoint(5.32, 60.39), 4326))");
    }

    private record Run(int code, String out, String err) {
    }

    private Run cli(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CliContext ctx = new CliContext(new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env, home);
        int code = CliMain.run(ctx, args);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Map<String, String> env() {
        return Map.of("CARTO_API_URL", TesseraHarness.baseUrl(user.user().username()), "CARTO_API_KEY", user.masterKey());
    }

    @Test
    void sqlPrintsJsonWithCredentialsFromTheEnvironment() throws Exception {
        Run r = cli(env(), "sql", "SELECT name FROM towns ORDER BY cartodb_id");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.get("total_rows").asInt()).isEqualTo(2);
        assertThat(json.get("rows").get(0).get("name").asText()).isEqualTo("Oslo");
    }

    @Test
    void sqlWritesCsvAndGeoJsonFilesWithCredentialsFromFlags() throws Exception {
        Path csv = home.resolve("towns.csv");
        Run r = cli(Map.of(), "sql", "--base-url", TesseraHarness.baseUrl(user.user().username()), "-k", user.masterKey(),
                "--format", "csv", "-o", csv.toString(), "SELECT name FROM towns ORDER BY cartodb_id");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(Files.readString(csv)).isEqualTo("name\r\nOslo\r\n\"Bergen, \"\"west\"\"\"\r\n");

        Path geojson = home.resolve("towns.geojson");
        r = cli(env(), "sql", "--format", "geojson", "-o", geojson.toString(), "SELECT name, the_geom FROM towns ORDER BY cartodb_id");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode fc = new ObjectMapper().readTree(geojson.toFile());
        assertThat(fc.get("type").asText()).isEqualTo("FeatureCollection");
        assertThat(fc.get("features").get(0).get("geometry").get("coordinates").get(0).asDouble()).isEqualTo(10.75);
    }

    @Test
    void sqlWritesBinaryFormatsToFilesThatReadersOpen() throws Exception {
        Path gpkg = home.resolve("towns.gpkg");
        Run r = cli(env(), "sql", "--format", "gpkg", "-o", gpkg.toString(), "SELECT cartodb_id, name, the_geom FROM towns");
        assertThat(r.code()).as(r.err()).isZero();
        Process p = new ProcessBuilder("ogrinfo", "-ro", "-al", "-so", gpkg.toString()).redirectErrorStream(true).start();
        String info = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(info).isZero();
        assertThat(info).contains("Feature Count: 2").contains("Geometry: Point");

        // Standard output that is not a terminal (a pipe) takes binary formats too.
        r = cli(env(), "sql", "--format", "shp", "SELECT name, the_geom FROM towns");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("PK");

        Path kml = home.resolve("towns.kml");
        r = cli(env(), "sql", "--format", "kml", "-o", kml.toString(), "SELECT name, the_geom FROM towns");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(Files.readString(kml)).contains("<Placemark").contains("Oslo");
    }

    @Test
    void serverErrorsReachTheUserWithANonZeroExit() {
        Run r = cli(env(), "sql", "SELECT * FROM no_such_table");
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).contains("relation \"no_such_table\" does not exist");
    }

    @Test
    void wrongKeyIsRefused() {
        Run r = cli(Map.of("CARTO_API_URL", TesseraHarness.baseUrl(user.user().username()), "CARTO_API_KEY", "wrong"),
                "sql", "SELECT 1");
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).isNotBlank();
    }

    @Test
    void keysAreManagedFromTheCommandLine() {
        Run created = cli(env(), "keys", "create", "cli-reader", "--apis", "sql", "--table", "towns:select");
        assertThat(created.code()).as(created.err()).isZero();
        String[] fields = created.out().lines().findFirst().orElseThrow().split("\t");
        assertThat(fields[0]).isEqualTo("cli-reader");
        assertThat(fields[1]).isEqualTo("regular");
        assertThat(created.out()).contains(user.user().username() + ".towns\tselect");
        String token = fields[2];

        Map<String, String> asKey = Map.of("CARTO_API_URL", TesseraHarness.baseUrl(user.user().username()), "CARTO_API_KEY", token);
        Run read = cli(asKey, "sql", "--format", "csv", "SELECT name FROM towns ORDER BY cartodb_id LIMIT 1");
        assertThat(read.out()).isEqualTo("name\r\nOslo\r\n");
        assertThat(cli(asKey, "sql", "DELETE FROM towns").code()).isNotZero();

        assertThat(cli(env(), "keys", "list").out()).contains("Master\tmaster", "cli-reader\tregular");
        assertThat(cli(env(), "keys", "rm", "cli-reader").code()).isZero();
        assertThat(cli(asKey, "sql", "SELECT 1").code()).isNotZero();
    }

    @Test
    void theDistributableSendsClientVerbsToTheCli() {
        // `tessera --help` goes through the one distributable's entry point to the client CLI
        assertThat(Main.run("--version")).isZero();
    }
}
