package io.tessera.server.maps.render;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class UtfGridRendererTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode grid(int resolution, String css, List<String> fields, List<RenderFeature> features) throws IOException {
        return JSON.readTree(UtfGridRenderer.render(256, resolution, 10,
                List.of(new RenderLayer(CartoCss.parse(css), features)), fields));
    }

    @Test
    void shapeKeysAndData() throws IOException {
        JsonNode g = grid(4, "#l { polygon-fill: red; }", List.of("name", "pop"), List.of(
                new RenderFeature(7, TileRendererTest.square(0, 0, 128, 256), Map.of("name", "west", "pop", 3, "other", 1)),
                new RenderFeature(8, TileRendererTest.square(64, 0, 256, 128), Map.of("name", "east", "pop", 4.5))));
        assertThat(g.get("grid")).hasSize(64);
        // Codes go to keys in order of first appearance, whatever they are: here feature 7 is ' '.
        assertThat(g.get("grid").get(0).asText()).isEqualTo(" ".repeat(16) + "!".repeat(48));
        assertThat(g.get("grid").get(63).asText()).isEqualTo(" ".repeat(32) + "#".repeat(32));
        assertThat(g.get("keys")).extracting(JsonNode::asText).containsExactly("7", "8", "");
        assertThat(g.get("data").toString()).isEqualTo("{\"7\":{\"name\":\"west\",\"pop\":3},\"8\":{\"name\":\"east\",\"pop\":4.5}}");
    }

    @Test
    void codePointsSkipQuoteAndBackslash() throws IOException {
        List<RenderFeature> features = new ArrayList<>();
        for (int i = 0; i < 70; i++) {
            double x = (i % 64) * 4;
            double y = (i / 64) * 4;
            features.add(new RenderFeature(1000 + i, TileRendererTest.square(x, y, x + 4, y + 4), Map.of()));
        }
        JsonNode g = grid(4, "#l { polygon-fill: red; }", List.of(), features);
        Set<Integer> used = new HashSet<>();
        g.get("grid").forEach(row -> row.asText().codePoints().forEach(used::add));
        assertThat(used).doesNotContain(34, 92).contains(32, 33, 35, 91, 93);
        assertThat(g.get("keys")).hasSize(71);
        assertThat(g.get("keys").get(0).asText()).isEqualTo("1000");
        assertThat(g.get("keys").get(70).asText()).isEmpty();
        assertThat(g.get("data").get("1069").size()).isZero();
    }

    @Test
    void resolutionAndEmptyTiles() throws IOException {
        JsonNode g = grid(2, "#l { marker-fill: red; }", List.of("id"), List.of());
        assertThat(g.get("grid")).hasSize(128);
        assertThat(g.get("grid").get(0).asText()).isEqualTo(" ".repeat(128));
        assertThat(g.get("keys")).extracting(JsonNode::asText).containsExactly("");
        assertThat(g.get("data").size()).isZero();
    }

    @Test
    void markersLinesAndZoom() throws IOException {
        String css = "#l { marker-fill: red; marker-width: 12; marker-allow-overlap: true; [zoom > 12] { marker-width: 40; } }";
        JsonNode g = grid(4, css, List.of("k"), List.of(new RenderFeature(3, TileRendererTest.point(128, 128), Map.of("k", "v"))));
        String row = g.get("grid").get(32).asText();
        assertThat(row.chars().filter(c -> c != ' ').count()).isBetween(2L, 4L);
        JsonNode any = JSON.readTree(UtfGridRenderer.render(256, 4,
                List.of(new RenderLayer(CartoCss.parse("#l[zoom > 12] { marker-fill: red; }"),
                        List.of(new RenderFeature(3, TileRendererTest.point(128, 128), Map.of())))), List.of()));
        assertThat(any.get("keys")).extracting(JsonNode::asText).contains("3");
    }
}
