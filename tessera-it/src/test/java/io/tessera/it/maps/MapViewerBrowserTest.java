package io.tessera.it.maps;

import static io.tessera.it.maps.MapsTestSupport.json;
import static io.tessera.it.maps.MapsTestSupport.mapUrl;
import static io.tessera.it.maps.MapsTestSupport.postJson;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.it.TesseraHarness;
import io.tessera.server.auth.Accounts;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The map page in a real browser: headless Chromium loads the vendored MapLibre GL, draws the layergroup's
 * vector tiles, {@code queryRenderedFeatures} finds the features and the screenshot shows them.
 */
class MapViewerBrowserTest {
    @TempDir
    Path dir;

    @Test
    void maplibreDrawsTheLayergroup() throws Exception {
        Accounts.Created fay = TesseraHarness.newUser("mapsview");
        MapsTestSupport.makePoints(fay, "pts");
        HttpResponse<String> r = postJson(mapUrl(fay, "?api_key=" + fay.masterKey()),
                "{\"layers\":[{\"options\":{\"sql\":\"select * from pts\"}}]}");
        String lgid = json(r).get("layergroupid").asText();
        String page = mapUrl(fay, "/" + lgid + "/viewer?api_key=" + fay.masterKey());
        assertThat(TesseraHarness.get(page.substring(page.indexOf("/user/")), null).body()).contains("maplibre-gl.mjs");
        Files.createDirectories(dir.resolve("profile"));
        try (HeadlessChromium chrome = HeadlessChromium.open(page, dir.resolve("profile"))) {
            // The module script runs after the page opens: wait for it, then for the map to be drawn.
            JsonNode features = chrome.evaluate("new Promise(r => { const t = () => window.tesseraReady ? "
                    + "r(window.tesseraReady) : setTimeout(t, 100); t(); })");
            assertThat(features.isArray()).as(features.toString()).isTrue();
            assertThat(features).hasSize(3);
            assertThat(features.findValuesAsText("layer")).containsOnly("layer0");
            assertThat(features.findValues("name").stream().map(JsonNode::asText)).containsExactlyInAnyOrder("a", "b", "c");
            byte[] png = chrome.screenshot();
            Files.write(dir.resolve("map.png"), png);
            BufferedImage shot = ImageIO.read(new ByteArrayInputStream(png));
            assertThat(countColour(shot, 0xd7, 0x30, 0x1f)).isGreaterThan(3 * 50); // three red circles of radius 8
        }
    }

    private static int countColour(BufferedImage img, int r, int g, int b) {
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int p = img.getRGB(x, y);
                if (Math.abs(((p >> 16) & 0xff) - r) < 12 && Math.abs(((p >> 8) & 0xff) - g) < 12 && Math.abs((p & 0xff) - b) < 12) {
                    n++;
                }
            }
        }
        return n;
    }
}
