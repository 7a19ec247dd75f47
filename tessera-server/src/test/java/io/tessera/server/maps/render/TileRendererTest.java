package io.tessera.server.maps.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class TileRendererTest {

    static byte[] point(double x, double y) {
        return ByteBuffer.allocate(21).order(ByteOrder.LITTLE_ENDIAN).put((byte) 1).putInt(1).putDouble(x).putDouble(y).array();
    }

    static byte[] square(double x0, double y0, double x1, double y1) {
        ByteBuffer b = ByteBuffer.allocate(1 + 4 + 4 + 4 + 5 * 16).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 1).putInt(3).putInt(1).putInt(5);
        b.putDouble(x0).putDouble(y0).putDouble(x1).putDouble(y0).putDouble(x1).putDouble(y1).putDouble(x0).putDouble(y1);
        b.putDouble(x0).putDouble(y0);
        return b.array();
    }

    private static BufferedImage render(int size, double scale, int zoom, String css, RenderFeature... features) {
        return TileRenderer.render(size, size, scale, zoom, List.of(new RenderLayer(CartoCss.parse(css), List.of(features))));
    }

    private static int alpha(BufferedImage img, int x, int y) {
        return img.getRGB(x, y) >>> 24;
    }

    @Test
    void emptyInputIsATransparentPng() throws IOException {
        byte[] png = TileRenderer.renderPng(256, 256, 1, 3, List.of());
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
        assertThat(img.getWidth()).isEqualTo(256);
        assertThat(img.getHeight()).isEqualTo(256);
        for (int y = 0; y < 256; y += 7) {
            for (int x = 0; x < 256; x += 7) {
                assertThat(alpha(img, x, y)).isZero();
            }
        }
        BufferedImage noFeatures = ImageIO.read(new ByteArrayInputStream(TileRenderer.renderPng(256, 256, 1, 3,
                List.of(new RenderLayer(CartoCss.parse("#l { marker-fill: red; }"), List.of())))));
        assertThat(alpha(noFeatures, 128, 128)).isZero();
    }

    @Test
    void retinaScalesSizesNotCoordinates() {
        String css = "#l { marker-fill: red; marker-width: 10; marker-line-width: 0; }";
        BufferedImage one = render(256, 1, 1, css, new RenderFeature(1, point(100, 100), Map.of()));
        BufferedImage two = render(512, 2, 1, css, new RenderFeature(1, point(200, 200), Map.of()));
        assertThat(two.getWidth()).isEqualTo(512);
        assertThat(alpha(one, 103, 100)).isEqualTo(255);
        assertThat(alpha(one, 107, 100)).isZero();
        assertThat(alpha(two, 207, 200)).isEqualTo(255);
        assertThat(alpha(two, 211, 200)).isZero();
    }

    @Test
    void rectangleAndEllipseMarkers() {
        String base = "#l { marker-fill: blue; marker-width: 20; marker-line-width: 0; marker-allow-overlap: true; ";
        BufferedImage ellipse = render(64, 1, 1, base + "}", new RenderFeature(1, point(32, 32), Map.of()));
        BufferedImage rect = render(64, 1, 1, base + "marker-type: rectangle; marker-height: 10; }",
                new RenderFeature(1, point(32, 32), Map.of()));
        assertThat(alpha(ellipse, 23, 23)).isZero();
        assertThat(alpha(rect, 23, 28)).isEqualTo(255);
        assertThat(alpha(rect, 32, 25)).isZero();
        assertThat(rect.getRGB(32, 32)).isEqualTo(0xFF0000FF);
    }

    @Test
    void markersDoNotOverlapUnlessAllowed() {
        String css = "#l { marker-fill: red; marker-width: 10; marker-line-width: 0; [n = 2] { marker-fill: blue; } }";
        RenderFeature a = new RenderFeature(1, point(30, 30), Map.of("n", 1));
        RenderFeature b = new RenderFeature(2, point(36, 30), Map.of("n", 2));
        assertThat(render(64, 1, 1, css, a, b).getRGB(39, 30)).as("second marker dropped").isZero();
        String overlap = css.replace("marker-line-width: 0;", "marker-line-width: 0; marker-allow-overlap: true;");
        assertThat(render(64, 1, 1, overlap, a, b).getRGB(39, 30)).isEqualTo(0xFF0000FF);
    }

    @Test
    void labelsWithHaloAndCollisions() {
        String css = """
                #l { text-name: [name]; text-face-name: 'DejaVu Sans Bold'; text-size: 14; text-fill: #000;
                     text-halo-fill: #ff0000; text-halo-radius: 2; }
                """;
        BufferedImage img = render(128, 1, 1, css, new RenderFeature(1, point(64, 64), Map.of("name", "Tessera")));
        int dark = 0;
        int red = 0;
        for (int y = 50; y < 78; y++) {
            for (int x = 20; x < 108; x++) {
                int p = img.getRGB(x, y);
                if (p == 0xFF000000) {
                    dark++;
                } else if (p == 0xFFFF0000) {
                    red++;
                }
            }
        }
        assertThat(dark).isGreaterThan(40);
        assertThat(red).isGreaterThan(40);
        assertThat(alpha(img, 64, 20)).isZero();

        BufferedImage both = render(128, 1, 1, css.replace("text-halo-radius: 2;", ""),
                new RenderFeature(1, point(64, 64), Map.of("name", "Tessera")),
                new RenderFeature(2, point(64, 68), Map.of("name", "XXXXXXXXXXXXXXX")));
        assertThat(alpha(both, 10, 66)).as("the colliding second label is not drawn").isZero();
    }

    @Test
    void backgroundZoomFiltersAndBadGeometry() {
        String css = "Map { background-color: #00ff00; } #l[zoom >= 5] { polygon-fill: #0000ff; }";
        RenderFeature sq = new RenderFeature(1, square(10, 10, 50, 50), Map.of());
        RenderFeature broken = new RenderFeature(2, new byte[] {1, 3, 0, 0}, Map.of());
        assertThat(render(64, 1, 5, css, broken, sq).getRGB(30, 30)).isEqualTo(0xFF0000FF);
        assertThat(render(64, 1, 4, css, sq).getRGB(30, 30)).isEqualTo(0xFF00FF00);
        assertThat(render(64, 1, 5, css, sq).getRGB(5, 5)).isEqualTo(0xFF00FF00);
    }

    @Test
    void readsEwkbWithSridAndZAndCollections() {
        // Big-endian EWKB POINT Z with SRID 3857.
        ByteBuffer ewkb = ByteBuffer.allocate(1 + 4 + 4 + 24).order(ByteOrder.BIG_ENDIAN);
        ewkb.put((byte) 0).putInt(0x80000001 | 0x20000000).putInt(3857).putDouble(12).putDouble(34).putDouble(99);
        PixelGeometry p = WkbReader.read(ewkb.array());
        assertThat(p.type()).isEqualTo(PixelGeometry.POINT);
        assertThat(p.points().get(0)).containsExactly(12, 34);

        byte[] pt = point(1, 2);
        byte[] sq = square(0, 0, 10, 10);
        ByteBuffer gc = ByteBuffer.allocate(9 + pt.length + sq.length).order(ByteOrder.LITTLE_ENDIAN);
        gc.put((byte) 1).putInt(7).putInt(2).put(pt).put(sq);
        PixelGeometry c = WkbReader.read(gc.array());
        assertThat(c.type()).isEqualTo(PixelGeometry.COLLECTION);
        assertThat(c.points()).hasSize(1);
        assertThat(c.polygons()).hasSize(1);
        assertThat(c.anchors()).hasSize(2);
        assertThat(c.anchors().get(1)).containsExactly(5, 5);
    }
}
