package io.tessera.bench.p6;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * How alike the two renderers' tiles are, so a fast time cannot come from drawing less: the share of pixels whose
 * colour (over white) differs by more than a quarter of the range in some channel. Anti-aliased edges, label
 * placement and the order in which the database returns overlapping markers account for a few percent (up to ~15 %
 * on the densest low-zoom tiles); a missing layer or symbolizer shows as much more.
 */
final class PixelDiff {
    private static final int THRESHOLD = 64;

    /** Mean and worst share over the tiles (file {@code z-x-y.png} in both folders), and the worst tile. */
    record Result(double mean, double worst, String worstTile) {
    }

    private PixelDiff() {
    }

    static Result compare(Path a, Path b, List<String> tiles) throws IOException {
        double sum = 0;
        double worst = -1;
        String worstTile = "";
        for (String t : tiles) {
            String name = t.replace('/', '-') + ".png";
            double d = share(ImageIO.read(a.resolve(name).toFile()), ImageIO.read(b.resolve(name).toFile()));
            sum += d;
            if (d > worst) {
                worst = d;
                worstTile = t;
            }
        }
        return new Result(sum / tiles.size(), worst, worstTile);
    }

    /** Whether both sides wrote the tile (Tessera answers an empty tile with 204 and writes nothing for it). */
    static boolean bothSaved(Path a, Path b, String tile) {
        String name = tile.replace('/', '-') + ".png";
        return Files.isRegularFile(a.resolve(name)) && Files.isRegularFile(b.resolve(name));
    }

    private static double share(BufferedImage x, BufferedImage y) {
        if (x.getWidth() != y.getWidth() || x.getHeight() != y.getHeight()) {
            return 1;
        }
        long differ = 0;
        for (int j = 0; j < x.getHeight(); j++) {
            for (int i = 0; i < x.getWidth(); i++) {
                int p = x.getRGB(i, j);
                int q = y.getRGB(i, j);
                for (int shift = 0; shift <= 16; shift += 8) {
                    if (Math.abs(overWhite(p, shift) - overWhite(q, shift)) > THRESHOLD) {
                        differ++;
                        break;
                    }
                }
            }
        }
        return differ / (double) (x.getWidth() * x.getHeight());
    }

    /** One channel of a non-premultiplied ARGB pixel composited over white. */
    private static int overWhite(int argb, int shift) {
        int alpha = argb >>> 24;
        int c = (argb >> shift) & 0xff;
        return (c * alpha + 255 * (255 - alpha)) / 255;
    }
}
