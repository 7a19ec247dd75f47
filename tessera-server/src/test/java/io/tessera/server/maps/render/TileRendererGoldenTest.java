package io.tessera.server.maps.render;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fidelity against Mapnik: each fixture of {@code src/test/golden/fixtures.json} is rendered with
 * {@link TileRenderer} and compared with the PNG Mapnik + carto rendered for it ({@code render_goldens.py}). A pixel
 * differs when a channel (alpha-weighted colour or alpha) is off by more than the tolerance; the share of
 * differing pixels among those either image draws must stay under the fixture's threshold. The Java images and diffs of every run are written
 * to {@code target/golden-diff/} for inspection.
 */
class TileRendererGoldenTest {
    private static final Path GOLDEN = Path.of("src/test/golden");
    private static final Path OUT = Path.of("target/golden-diff");

    static Stream<Arguments> fixtures() throws IOException {
        JsonNode manifest = new ObjectMapper().readTree(GOLDEN.resolve("fixtures.json").toFile());
        List<Arguments> out = new ArrayList<>();
        for (JsonNode fx : manifest.get("fixtures")) {
            out.add(Arguments.of(fx.get("name").asText(), fx, manifest.get("channelTolerance").asInt()));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void matchesMapnik(String name, JsonNode fx, int tolerance) throws IOException {
        int size = fx.get("size").asInt();
        Stylesheet style = CartoCss.parse(Files.readString(GOLDEN.resolve("fixtures/" + fx.get("style").asText() + ".mss")));
        List<RenderFeature> features = FixtureWkb.features(
                GOLDEN.resolve("fixtures/" + fx.get("data").asText() + ".geojson"), fx.get("coordScale").asDouble());
        BufferedImage actual = TileRenderer.render(size, size, fx.get("scale").asDouble(), fx.get("zoom").asInt(),
                List.of(new RenderLayer(style, features)));
        BufferedImage golden = ImageIO.read(GOLDEN.resolve("goldens/" + name + ".png").toFile());

        assertThat(golden.getWidth()).isEqualTo(size);
        BufferedImage diff = new BufferedImage(size, size, BufferedImage.TYPE_INT_ARGB);
        int differing = 0;
        int drawn = 0;
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int a = actual.getRGB(x, y);
                int b = golden.getRGB(x, y);
                if ((a >>> 24) != 0 || (b >>> 24) != 0) {
                    drawn++;
                }
                if (distance(a, b) > tolerance) {
                    differing++;
                    diff.setRGB(x, y, 0xFFFF0000);
                }
            }
        }
        Files.createDirectories(OUT);
        ImageIO.write(actual, "png", OUT.resolve(name + ".java.png").toFile());
        ImageIO.write(diff, "png", OUT.resolve(name + ".diff.png").toFile());
        double share = differing / (double) drawn;
        System.out.printf("golden %-20s differing %.4f of %d drawn px%n", name, share, drawn);
        assertThat(drawn).as("%s draws something", name).isGreaterThan(size * size / 100);
        assertThat(share).as("share of pixels of %s differing from Mapnik", name).isLessThanOrEqualTo(fx.get("maxDiff").asDouble());
    }

    /** Largest channel difference of the premultiplied colours (so fully transparent pixels compare equal). */
    private static int distance(int p, int q) {
        int pa = p >>> 24;
        int qa = q >>> 24;
        int d = Math.abs(pa - qa);
        for (int shift = 0; shift <= 16; shift += 8) {
            int pc = ((p >>> shift) & 0xFF) * pa / 255;
            int qc = ((q >>> shift) & 0xFF) * qa / 255;
            d = Math.max(d, Math.abs(pc - qc));
        }
        return d;
    }
}
