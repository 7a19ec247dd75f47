package io.tessera.server.maps.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Whatever a client sends as CartoCSS, the outcome is a stylesheet or a {@link CartoCssException}, never a crash. */
class CartoCssRobustnessTest {
    private static final String ALPHABET = "{}[]();:,.#@'\"=<>!~+-*/ \n0123456789abcmarkerlinepolygon-fillwidth%";

    @Test
    void mutatedStylesheetsParseOrFailCleanlyAndRender() throws IOException {
        List<String> sources;
        try (Stream<Path> files = Files.list(Path.of("src/test/golden/fixtures"))) {
            sources = files.filter(p -> p.toString().endsWith(".mss")).sorted().map(p -> {
                try {
                    return Files.readString(p);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }).toList();
        }
        List<RenderFeature> features = List.of(
                new RenderFeature(1, TileRendererTest.point(10, 10), Map.of("kind", "a", "pop", 5, "name", "x")),
                new RenderFeature(2, TileRendererTest.square(5, 5, 30, 30), Map.of("landuse", "park", "rank", 3)));
        Random random = new Random(6);
        int parsed = 0;
        for (int i = 0; i < 1000; i++) {
            StringBuilder css = new StringBuilder(sources.get(random.nextInt(sources.size())));
            for (int m = 1 + random.nextInt(4); m > 0; m--) {
                int at = random.nextInt(css.length() + 1);
                switch (random.nextInt(3)) {
                    case 0 -> css.insert(at, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
                    case 1 -> {
                        if (at < css.length()) {
                            css.deleteCharAt(at);
                        }
                    }
                    default -> css.insert(at, css, Math.max(0, at - 8), at);
                }
            }
            Stylesheet style;
            try {
                style = CartoCss.parse(css.toString());
            } catch (CartoCssException e) {
                assertThat(e.line()).isPositive();
                assertThat(e.column()).isPositive();
                continue;
            }
            parsed++;
            for (int zoom : new int[] {5, 13}) {
                TileRenderer.renderPng(32, 32, 1, zoom, List.of(new RenderLayer(style, features)));
                UtfGridRenderer.render(32, 4, zoom, List.of(new RenderLayer(style, features)), List.of("kind"));
            }
        }
        assertThat(parsed).as("some mutations still parse").isGreaterThan(50);
    }

    @Test
    void deepNestingAndHugeValuesAreBounded() {
        assertThatThrownBy(() -> CartoCss.parse("#l " + "[a=1] {".repeat(200) + "}".repeat(200)))
                .isInstanceOf(CartoCssException.class).hasMessageContaining("nested");
        assertThatThrownBy(() -> CartoCss.parse("#l { line-width: " + "(".repeat(500) + "1" + ")".repeat(500) + "; }"))
                .isInstanceOf(CartoCssException.class);
        Stylesheet huge = CartoCss.parse("#l { marker-width: 100000; line-dasharray: 0.0001, 0.0001; line-width: 3; }");
        byte[] png = TileRenderer.renderPng(64, 64, 1, 1, List.of(new RenderLayer(huge, List.of(
                new RenderFeature(1, TileRendererTest.point(10, 10), Map.of()),
                new RenderFeature(2, TileRendererTest.square(-1000, -1000, 5000, 5000), Map.of())))));
        assertThat(png).isNotEmpty();
        Stylesheet enormous = CartoCss.parse("#l { marker-width: 1e308; line-width: 1e300; text-name: 'x'; text-size: 1e300; "
                + "marker-height: [h]; }");
        assertThat(TileRenderer.renderPng(64, 64, 1, 1, List.of(new RenderLayer(enormous, List.of(
                new RenderFeature(1, TileRendererTest.point(10, 10), Map.of("h", "1e999")),
                new RenderFeature(2, TileRendererTest.square(0, 0, 50, 50), Map.of())))))).isNotEmpty();
    }
}
