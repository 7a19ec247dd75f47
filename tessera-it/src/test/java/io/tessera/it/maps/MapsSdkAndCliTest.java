package io.tessera.it.maps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tessera.cli.CliContext;
import io.tessera.cli.CliMain;
import io.tessera.client.CartoException;
import io.tessera.client.auth.ApiKeyAuthClient;
import io.tessera.client.auth.NoAuthClient;
import io.tessera.client.keys.ApiKeyManager;
import io.tessera.client.maps.AnonymousMap;
import io.tessera.client.maps.NamedMap;
import io.tessera.client.maps.NamedMapManager;
import io.tessera.it.TesseraHarness;
import io.tessera.server.auth.Accounts;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Maps API through the SDK (carto-python's maps module in Java) and through {@code tessera maps}. */
class MapsSdkAndCliTest {
    private static Accounts.Created erin;
    private static ApiKeyAuthClient auth;

    @TempDir
    Path dir;

    @BeforeAll
    static void setUp() {
        erin = TesseraHarness.newUser("mapssdk");
        auth = new ApiKeyAuthClient(TesseraHarness.baseUrl(erin.user().username()), erin.masterKey());
        MapsTestSupport.makePoints(erin, "tornados_11");
    }

    private static ObjectNode template(String name) throws Exception {
        return (ObjectNode) MapsTestSupport.JSON.readTree("{\"version\":\"0.0.1\",\"name\":\"" + name + "\","
                + "\"auth\":{\"method\":\"token\",\"valid_tokens\":[\"example_token\"]},"
                + "\"placeholders\":{\"color\":{\"type\":\"css_color\",\"default\":\"red\"}},"
                + "\"layergroup\":{\"version\":\"1.0.1\",\"layers\":[{\"type\":\"cartodb\",\"options\":{\"cartocss_version\":\"2.1.1\","
                + "\"cartocss\":\"#layer { marker-fill: <%= color %>; }\",\"sql\":\"select * from tornados_11\"}}]},"
                + "\"view\":{\"zoom\":1,\"center\":{\"lng\":0,\"lat\":0}}}");
    }

    @Test
    void namedMapLifecycleAsCartoPythonDoesIt() throws Exception {
        NamedMapManager manager = new NamedMapManager(auth);
        NamedMap map = manager.create(template("python_sdk_test_map"));
        assertThat(map.templateId()).isEqualTo("python_sdk_test_map");
        assertThat(manager.ids()).contains("python_sdk_test_map");
        NamedMap read = manager.get("python_sdk_test_map");
        assertThat(read.template().at("/placeholders/color/type").asText()).isEqualTo("css_color");
        ObjectNode params = MapsTestSupport.JSON.createObjectNode().put("color", "#ff6600");
        JsonNode lg = read.instantiate(params, "example_token");
        assertThat(lg.get("layergroupid").asText()).startsWith(erin.user().username() + "@");
        // the tile URL carto-python builds, with the token, is served
        String url = read.getTileUrl(0, 0, 0, "all", null, null, "mvt");
        assertThat(url).isEqualTo(TesseraHarness.baseUrl(erin.user().username())
                + "api/v1/map/named/python_sdk_test_map/all/0/0/0.mvt?auth_token=example_token");
        assertThat(MvtReader.layers(read.fetchTile(0, 0, 0, "all", "mvt")).get("layer0").features()).isEqualTo(3);
        assertThat(read.fetchTile(0, 0, 0, null, "png")).startsWith(0x89, 'P', 'N', 'G');
        read.template().with("view").put("zoom", 2);
        read.save();
        assertThat(manager.get("python_sdk_test_map").template().at("/view/zoom").asInt()).isEqualTo(2);
        read.delete();
        assertThatThrownBy(() -> manager.get("python_sdk_test_map"))
                .isInstanceOfSatisfying(CartoException.class, e -> assertThat(e.status()).isEqualTo(404));
    }

    @Test
    void anonymousMapInstantiatesAndBuildsTileUrls() throws Exception {
        ObjectNode config = (ObjectNode) MapsTestSupport.JSON.readTree(MapsTestSupport.layergroup("select * from tornados_11", ""));
        AnonymousMap map = new AnonymousMap(auth).instantiate(config);
        assertThat(map.layergroupId()).matches("[0-9a-f]{32}:\\d+");
        assertThat(map.metadata().at("/layers/0/id").asText()).isEqualTo("layer0");
        assertThat(map.getTileUrl(1, 2, 3, "0", null, null, "mvt"))
                .isEqualTo(TesseraHarness.baseUrl(erin.user().username()) + "api/v1/map/" + map.layergroupId() + "/0/3/1/2.mvt");
        assertThat(map.getTileUrl(1, 2, 3, "0", "7", null, null)).endsWith("/" + map.layergroupId() + "/0/attributes/7");
        assertThat(map.getTileUrl(1, 2, 3, "0", null, "0,1", null)).endsWith("/" + map.layergroupId() + "/0,1/3/1/2.png");
        assertThat(map.getTileUrl(1, 2, 3)).endsWith("/" + map.layergroupId() + "/3/1/2.png");
        assertThat(map.fetchTile(0, 1023, 10, null, "mvt")).isEmpty(); // 204: no features there
        // without a key the private table cannot be mapped
        assertThatThrownBy(() -> new AnonymousMap(new NoAuthClient(TesseraHarness.baseUrl(erin.user().username()))).instantiate(config))
                .isInstanceOfSatisfying(CartoException.class, e -> assertThat(e.status()).isEqualTo(403));
    }

    @Test
    void regularKeysDrawWithTheirOwnGrantsAndNeedTheMapsGrant() throws Exception {
        ApiKeyManager keys = new ApiKeyManager(auth);
        ObjectNode config = (ObjectNode) MapsTestSupport.JSON.readTree(MapsTestSupport.layergroup("select * from tornados_11", ""));
        String base = TesseraHarness.baseUrl(erin.user().username());
        var sqlOnly = keys.create("sql_only", List.of("sql"), List.of(new io.tessera.client.keys.ApiKey.TableGrant(
                erin.user().schema(), "tornados_11", List.of("select"))));
        assertThatThrownBy(() -> new AnonymousMap(new ApiKeyAuthClient(base, sqlOnly.token())).instantiate(config))
                .isInstanceOfSatisfying(CartoException.class, e -> assertThat(e.status()).isEqualTo(403));
        var mapsNoTable = keys.create("maps_no_table", List.of("maps"), List.of());
        assertThatThrownBy(() -> new AnonymousMap(new ApiKeyAuthClient(base, mapsNoTable.token())).instantiate(config))
                .isInstanceOfSatisfying(CartoException.class, e -> assertThat(e.status()).isEqualTo(403));
        var mapsKey = keys.create("maps_key", List.of("maps"), List.of(new io.tessera.client.keys.ApiKey.TableGrant(
                erin.user().schema(), "tornados_11", List.of("select"))));
        AnonymousMap map = new AnonymousMap(new ApiKeyAuthClient(base, mapsKey.token())).instantiate(config);
        assertThat(MvtReader.layers(map.fetchTile(0, 0, 0, null, "mvt")).get("layer0").features()).isEqualTo(3);
    }

    private record Run(int code, String out, String err) {
    }

    private Run cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CliContext ctx = new CliContext(new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of("CARTO_API_URL", TesseraHarness.baseUrl(erin.user().username()), "CARTO_API_KEY", erin.masterKey()), dir);
        int code = CliMain.run(ctx, args);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void cliManagesNamedMapsAndFetchesTiles() throws Exception {
        Path file = dir.resolve("map.json");
        Files.writeString(file, template("cli_map").toString());
        Run created = cli("maps", "named", "create", file.toString());
        assertThat(created.code()).as(created.err()).isZero();
        assertThat(created.out().strip()).isEqualTo("cli_map");
        assertThat(cli("maps", "named", "list").out()).contains("cli_map");
        Path png = dir.resolve("tile.png");
        Run tile = cli("maps", "tile", "--named", "cli_map", "--auth-token", "example_token", "--layer", "all", "0/0/0.png", "-o", png.toString());
        assertThat(tile.code()).as(tile.err()).isZero();
        assertThat(Files.readAllBytes(png)).startsWith(0x89, 'P', 'N', 'G');
        AnonymousMap anon = new AnonymousMap(auth).instantiate(
                (ObjectNode) MapsTestSupport.JSON.readTree(MapsTestSupport.layergroup("select * from tornados_11", "")));
        Path mvt = dir.resolve("tile.mvt");
        Run vt = cli("maps", "tile", "--layergroup", anon.layergroupId(), "0/0/0.mvt", "-o", mvt.toString());
        assertThat(vt.code()).as(vt.err()).isZero();
        assertThat(MvtReader.layers(Files.readAllBytes(mvt))).containsKey("layer0");
        Run denied = cli("maps", "tile", "--named", "cli_map", "0/0/0.png", "-o", png.toString());
        assertThat(denied.code()).isNotZero();
        assertThat(denied.err()).contains("Unauthorized template instantiation");
        assertThat(cli("maps", "named", "rm", "cli_map").code()).isZero();
        assertThat(cli("maps", "named", "list").out()).doesNotContain("cli_map");
        assertThat(cli("maps", "named", "rm", "cli_map").code()).isNotZero();
    }
}
