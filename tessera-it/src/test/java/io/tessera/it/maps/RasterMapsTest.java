package io.tessera.it.maps;

import static io.tessera.it.maps.MapsTestSupport.getBytes;
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
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** PNG, @2x, UTFGrid and static images through the Java renderer, and CartoCSS errors and warnings. */
class RasterMapsTest {
    private static Accounts.Created dan;
    private static String key;
    private static String lgid;

    @BeforeAll
    static void setUp() throws Exception {
        dan = TesseraHarness.newUser("mapsraster");
        key = "?api_key=" + dan.masterKey();
        MapsTestSupport.makePoints(dan, "pts");
        HttpResponse<String> r = postJson(mapUrl(dan, key), MapsTestSupport.layergroup("select * from pts", ""));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        lgid = json(r).get("layergroupid").asText();
    }

    private static BufferedImage image(String rest, int status) throws Exception {
        HttpResponse<byte[]> r = getBytes(mapUrl(dan, rest));
        assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(status);
        return ImageIO.read(new ByteArrayInputStream(r.body()));
    }

    /** Count of pixels with colour (red marker), alpha > 0 and not white. */
    private static int red(BufferedImage img) {
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int argb = img.getRGB(x, y);
                int a = argb >>> 24;
                int r = (argb >> 16) & 0xff;
                int g = (argb >> 8) & 0xff;
                if (a > 128 && r > 200 && g < 80) {
                    n++;
                }
            }
        }
        return n;
    }

    @Test
    void pngTilesDrawTheStyle() throws Exception {
        BufferedImage tile = image("/" + lgid + "/0/0/0.png" + key, 200);
        assertThat(tile.getWidth()).isEqualTo(256);
        int markers = red(tile);
        assertThat(markers).isGreaterThan(3 * 20); // three 8-px markers
        // the marker of point (10, 10) is where Web Mercator puts it
        int px = (int) Math.round((10 + 180) / 360.0 * 256);
        assertThat((tile.getRGB(px, 121) >>> 24)).isGreaterThan(0);
        BufferedImage retina = image("/" + lgid + "/0/0/0@2x.png" + key, 200);
        assertThat(retina.getWidth()).isEqualTo(512);
        assertThat(red(retina)).isGreaterThan(markers * 3);
        assertThat(getBytes(mapUrl(dan, "/" + lgid + "/0/0/0@3x.png" + key)).statusCode()).isEqualTo(404);
        assertThat(red(image("/" + lgid + "/0/0/0/0.png" + key, 200))).isEqualTo(markers);
        assertThat(red(image("/" + lgid + "/5/0/0.png" + key, 200))).isZero();
    }

    @Test
    void utfGridCarriesInteractivity() throws Exception {
        HttpResponse<byte[]> r = getBytes(mapUrl(dan, "/" + lgid + "/0/0/0/0.grid.json" + key));
        assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(200);
        JsonNode grid = MapsTestSupport.JSON.readTree(r.body());
        assertThat(grid.get("grid")).hasSize(64);
        assertThat(grid.get("keys").toString()).contains("\"2\"");
        assertThat(grid.at("/data/2/cartodb_id").asInt()).isEqualTo(2);
        String vectorOnly = json(postJson(mapUrl(dan, key), "{\"layers\":[{\"options\":{\"sql\":\"select * from pts\"}}]}"))
                .get("layergroupid").asText();
        HttpResponse<byte[]> png = getBytes(mapUrl(dan, "/" + vectorOnly + "/0/0/0.png" + key));
        assertThat(png.statusCode()).isEqualTo(400);
        assertThat(new String(png.body())).contains("Unsupported format: 'cartocss' option is missing for png");
    }

    @Test
    void staticImages() throws Exception {
        BufferedImage center = image("/static/center/" + lgid + "/1/0/0/300/200.png" + key, 200);
        assertThat(center.getWidth()).isEqualTo(300);
        assertThat(center.getHeight()).isEqualTo(200);
        assertThat(red(center)).isGreaterThan(20);
        BufferedImage box = image("/static/bbox/" + lgid + "/0,0,20,20/100/100.png" + key, 200);
        assertThat(red(box)).isGreaterThan(20); // only the point at (10, 10)
        assertThat((box.getRGB(50, 50) >>> 24)).isGreaterThan(0);
        BufferedImage jpg = image("/static/bbox/" + lgid + "/-30,-30,-20,-20/100/100.jpg" + key, 200);
        assertThat(jpg.getRGB(50, 50) & 0xffffff).isEqualTo(0xffffff); // nothing there: white
        assertThat(getBytes(mapUrl(dan, "/static/center/" + lgid + "/1/0/0/300/200.gif" + key)).statusCode()).isEqualTo(400);
    }

    @Test
    void cartoCssErrorsAndWarnings() throws Exception {
        HttpResponse<String> bad = postJson(mapUrl(dan, key), "{\"layers\":[{\"options\":{\"sql\":\"select * from pts\","
                + "\"cartocss\":\"#layer { marker-fill: red\",\"cartocss_version\":\"2.1.1\"}}]}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(json(bad).at("/errors_with_context/0/layer/index").asInt()).isZero();
        HttpResponse<String> warned = postJson(mapUrl(dan, key), "{\"layers\":[{\"options\":{\"sql\":\"select * from pts\","
                + "\"cartocss\":\"#layer { marker-fill: red; building-height: 3; }\",\"cartocss_version\":\"2.1.1\"}}]}");
        assertThat(warned.statusCode()).isEqualTo(200);
        assertThat(json(warned).at("/metadata/layers/0/meta/cartocss_warnings/0").asText()).contains("building-height");
    }
}
