package io.tessera.server.maps.render;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * UTFGrid fidelity: fixtures with a {@code grid} field list were also encoded by Mapnik
 * ({@code grid.encode('utf', resolution=4)}, key {@code cartodb_id}); Tessera's grid must carry the same data
 * and the same feature in nearly every cell (edges of anti-aliased shapes may fall either way).
 */
class UtfGridGoldenTest {
    private static final Path GOLDEN = Path.of("src/test/golden");
    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<Arguments> fixtures() throws IOException {
        List<Arguments> out = new ArrayList<>();
        for (JsonNode fx : JSON.readTree(GOLDEN.resolve("fixtures.json").toFile()).get("fixtures")) {
            if (fx.has("grid")) {
                out.add(Arguments.of(fx.get("name").asText(), fx));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void matchesMapnik(String name, JsonNode fx) throws IOException {
        Stylesheet style = CartoCss.parse(Files.readString(GOLDEN.resolve("fixtures/" + fx.get("style").asText() + ".mss")));
        List<RenderFeature> features = FixtureWkb.features(
                GOLDEN.resolve("fixtures/" + fx.get("data").asText() + ".geojson"), fx.get("coordScale").asDouble());
        List<String> fields = new ArrayList<>();
        fx.get("grid").forEach(f -> fields.add(f.asText()));

        JsonNode actual = JSON.readTree(UtfGridRenderer.render(fx.get("size").asInt(), 4, fx.get("zoom").asInt(),
                List.of(new RenderLayer(style, features)), fields));
        JsonNode golden = JSON.readTree(GOLDEN.resolve("goldens/" + name + ".grid.json").toFile());

        assertThat(actual.get("grid")).hasSize(64);
        assertThat(actual.get("data")).isEqualTo(golden.get("data"));
        int cells = 0;
        int same = 0;
        for (int row = 0; row < 64; row++) {
            String a = actual.get("grid").get(row).asText();
            String b = golden.get("grid").get(row).asText();
            assertThat(a).hasSize(64);
            for (int col = 0; col < 64; col++) {
                cells++;
                if (key(actual, a.codePointAt(col)).equals(key(golden, b.codePointAt(col)))) {
                    same++;
                }
            }
        }
        double agreement = same / (double) cells;
        System.out.printf("grid %-20s agreement %.4f%n", name, agreement);
        assertThat(agreement).as("cells of %s with the same feature as Mapnik", name).isGreaterThanOrEqualTo(0.98);
    }

    /** The key a code point stands for, decoded as UTFGrid clients do. */
    private static String key(JsonNode grid, int codePoint) {
        int index = codePoint;
        if (index >= 93) {
            index--;
        }
        if (index >= 35) {
            index--;
        }
        return grid.get("keys").get(index - 32).asText();
    }
}
