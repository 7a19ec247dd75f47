package io.tessera.server.maps.render;

import java.awt.Color;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** CartoCSS colours: CSS names, {@code #rgb}/{@code #rrggbb}, and the colour functions carto evaluates. */
final class CssColors {
    private static final String NAMED = "aliceblue f0f8ff antiquewhite faebd7 aqua 00ffff aquamarine 7fffd4 azure f0ffff "
            + "beige f5f5dc bisque ffe4c4 black 000000 blanchedalmond ffebcd blue 0000ff blueviolet 8a2be2 brown a52a2a "
            + "burlywood deb887 cadetblue 5f9ea0 chartreuse 7fff00 chocolate d2691e coral ff7f50 cornflowerblue 6495ed "
            + "cornsilk fff8dc crimson dc143c cyan 00ffff darkblue 00008b darkcyan 008b8b darkgoldenrod b8860b "
            + "darkgray a9a9a9 darkgrey a9a9a9 darkgreen 006400 darkkhaki bdb76b darkmagenta 8b008b darkolivegreen 556b2f "
            + "darkorange ff8c00 darkorchid 9932cc darkred 8b0000 darksalmon e9967a darkseagreen 8fbc8f "
            + "darkslateblue 483d8b darkslategray 2f4f4f darkslategrey 2f4f4f darkturquoise 00ced1 darkviolet 9400d3 "
            + "deeppink ff1493 deepskyblue 00bfff dimgray 696969 dimgrey 696969 dodgerblue 1e90ff firebrick b22222 "
            + "floralwhite fffaf0 forestgreen 228b22 fuchsia ff00ff gainsboro dcdcdc ghostwhite f8f8ff gold ffd700 "
            + "goldenrod daa520 gray 808080 grey 808080 green 008000 greenyellow adff2f honeydew f0fff0 hotpink ff69b4 "
            + "indianred cd5c5c indigo 4b0082 ivory fffff0 khaki f0e68c lavender e6e6fa lavenderblush fff0f5 "
            + "lawngreen 7cfc00 lemonchiffon fffacd lightblue add8e6 lightcoral f08080 lightcyan e0ffff "
            + "lightgoldenrodyellow fafad2 lightgray d3d3d3 lightgrey d3d3d3 lightgreen 90ee90 lightpink ffb6c1 "
            + "lightsalmon ffa07a lightseagreen 20b2aa lightskyblue 87cefa lightslategray 778899 lightslategrey 778899 "
            + "lightsteelblue b0c4de lightyellow ffffe0 lime 00ff00 limegreen 32cd32 linen faf0e6 magenta ff00ff "
            + "maroon 800000 mediumaquamarine 66cdaa mediumblue 0000cd mediumorchid ba55d3 mediumpurple 9370db "
            + "mediumseagreen 3cb371 mediumslateblue 7b68ee mediumspringgreen 00fa9a mediumturquoise 48d1cc "
            + "mediumvioletred c71585 midnightblue 191970 mintcream f5fffa mistyrose ffe4e1 moccasin ffe4b5 "
            + "navajowhite ffdead navy 000080 oldlace fdf5e6 olive 808000 olivedrab 6b8e23 orange ffa500 "
            + "orangered ff4500 orchid da70d6 palegoldenrod eee8aa palegreen 98fb98 paleturquoise afeeee "
            + "palevioletred db7093 papayawhip ffefd5 peachpuff ffdab9 peru cd853f pink ffc0cb plum dda0dd "
            + "powderblue b0e0e6 purple 800080 rebeccapurple 663399 red ff0000 rosybrown bc8f8f royalblue 4169e1 "
            + "saddlebrown 8b4513 salmon fa8072 sandybrown f4a460 seagreen 2e8b57 seashell fff5ee sienna a0522d "
            + "silver c0c0c0 skyblue 87ceeb slateblue 6a5acd slategray 708090 slategrey 708090 snow fffafa "
            + "springgreen 00ff7f steelblue 4682b4 tan d2b48c teal 008080 thistle d8bfd8 tomato ff6347 "
            + "turquoise 40e0d0 violet ee82ee wheat f5deb3 white ffffff whitesmoke f5f5f5 yellow ffff00 "
            + "yellowgreen 9acd32";
    private static final Map<String, Color> BY_NAME = new HashMap<>();

    static {
        String[] parts = NAMED.split(" ");
        for (int i = 0; i < parts.length; i += 2) {
            BY_NAME.put(parts[i], new Color(Integer.parseInt(parts[i + 1], 16)));
        }
        BY_NAME.put("transparent", new Color(0, 0, 0, 0));
    }

    private CssColors() {
    }

    static Color named(String name) {
        return BY_NAME.get(name.toLowerCase(Locale.ROOT));
    }

    /** {@code #rgb} or {@code #rrggbb} (the hash already stripped); null when not a colour. */
    static Color hex(String digits) {
        if (!digits.matches("[0-9a-fA-F]{3}|[0-9a-fA-F]{6}")) {
            return null;
        }
        if (digits.length() == 3) {
            StringBuilder sb = new StringBuilder();
            for (char c : digits.toCharArray()) {
                sb.append(c).append(c);
            }
            digits = sb.toString();
        }
        return new Color(Integer.parseInt(digits, 16));
    }

    /** The colour a value stands for: a Color, a colour name, or a colour string; else null. */
    static Color toColor(Object v) {
        if (v instanceof Color c) {
            return c;
        }
        if (v instanceof Expr.Keyword k) {
            return named(k.name());
        }
        if (v instanceof String s) {
            String t = s.strip();
            return t.startsWith("#") ? hex(t.substring(1)) : named(t);
        }
        return null;
    }

    static boolean isFunction(String name) {
        return switch (name) {
            case "rgb", "rgba", "hsl", "hsla", "lighten", "darken", "fade", "fadein", "fadeout", "saturate", "desaturate",
                    "spin", "mix", "greyscale" -> true;
            default -> false;
        };
    }

    /** Evaluates a colour function; null when an argument is of the wrong kind. */
    static Color apply(String fn, List<Object> a) {
        try {
            return switch (fn) {
                case "rgb" -> new Color(channel(a.get(0)), channel(a.get(1)), channel(a.get(2)));
                case "rgba" -> new Color(channel(a.get(0)), channel(a.get(1)), channel(a.get(2)),
                        Math.round(unit(a.get(3)) * 255));
                case "hsl" -> hsla(number(a.get(0)), fraction(a.get(1)), fraction(a.get(2)), 1);
                case "hsla" -> hsla(number(a.get(0)), fraction(a.get(1)), fraction(a.get(2)), unit(a.get(3)));
                case "lighten" -> adjust(a, 2, +1);
                case "darken" -> adjust(a, 2, -1);
                case "saturate" -> adjust(a, 1, +1);
                case "desaturate" -> adjust(a, 1, -1);
                case "fadein" -> withAlpha(toColor(a.get(0)), toColor(a.get(0)).getAlpha() / 255.0 + fraction(a.get(1)));
                case "fadeout" -> withAlpha(toColor(a.get(0)), toColor(a.get(0)).getAlpha() / 255.0 - fraction(a.get(1)));
                case "fade" -> withAlpha(toColor(a.get(0)), fraction(a.get(1)));
                case "spin" -> {
                    float[] hsl = hsl(toColor(a.get(0)));
                    yield hsla(hsl[0] * 360 + number(a.get(1)), hsl[1], hsl[2], toColor(a.get(0)).getAlpha() / 255.0);
                }
                case "greyscale" -> {
                    float[] hsl = hsl(toColor(a.get(0)));
                    yield hsla(hsl[0] * 360, 0, hsl[2], toColor(a.get(0)).getAlpha() / 255.0);
                }
                case "mix" -> mix(toColor(a.get(0)), toColor(a.get(1)), fraction(a.get(2)));
                default -> null;
            };
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static Color adjust(List<Object> a, int index, int sign) {
        Color c = toColor(a.get(0));
        float[] hsl = hsl(c);
        hsl[index] = (float) Math.max(0, Math.min(1, hsl[index] + sign * fraction(a.get(1))));
        return hsla(hsl[0] * 360, hsl[1], hsl[2], c.getAlpha() / 255.0);
    }

    private static Color mix(Color c1, Color c2, double weight) {
        double w = weight * 2 - 1;
        double a = c1.getAlpha() / 255.0 - c2.getAlpha() / 255.0;
        double w1 = ((w * a == -1 ? w : (w + a) / (1 + w * a)) + 1) / 2.0;
        double w2 = 1 - w1;
        return new Color((int) Math.round(c1.getRed() * w1 + c2.getRed() * w2),
                (int) Math.round(c1.getGreen() * w1 + c2.getGreen() * w2),
                (int) Math.round(c1.getBlue() * w1 + c2.getBlue() * w2),
                (int) Math.round(c1.getAlpha() * weight + c2.getAlpha() * (1 - weight)));
    }

    static Color withAlpha(Color c, double alpha) {
        return new Color(c.getRed(), c.getGreen(), c.getBlue(), (int) Math.round(clamp(alpha) * 255));
    }

    private static float[] hsl(Color c) {
        double r = c.getRed() / 255.0;
        double g = c.getGreen() / 255.0;
        double b = c.getBlue() / 255.0;
        double max = Math.max(r, Math.max(g, b));
        double min = Math.min(r, Math.min(g, b));
        double l = (max + min) / 2;
        double h = 0;
        double s = 0;
        double d = max - min;
        if (d != 0) {
            s = l > 0.5 ? d / (2 - max - min) : d / (max + min);
            if (max == r) {
                h = (g - b) / d + (g < b ? 6 : 0);
            } else if (max == g) {
                h = (b - r) / d + 2;
            } else {
                h = (r - g) / d + 4;
            }
            h /= 6;
        }
        return new float[] {(float) h, (float) s, (float) l};
    }

    private static Color hsla(double hDeg, double s, double l, double alpha) {
        double h = ((hDeg % 360) + 360) % 360 / 360;
        double m2 = l <= 0.5 ? l * (s + 1) : l + s - l * s;
        double m1 = l * 2 - m2;
        return new Color(hue(m1, m2, h + 1 / 3.0), hue(m1, m2, h), hue(m1, m2, h - 1 / 3.0), (float) clamp(alpha));
    }

    private static float hue(double m1, double m2, double h) {
        h = h < 0 ? h + 1 : (h > 1 ? h - 1 : h);
        double v;
        if (h * 6 < 1) {
            v = m1 + (m2 - m1) * h * 6;
        } else if (h * 2 < 1) {
            v = m2;
        } else if (h * 3 < 2) {
            v = m1 + (m2 - m1) * (2 / 3.0 - h) * 6;
        } else {
            v = m1;
        }
        return (float) clamp(v);
    }

    private static int channel(Object v) {
        double d = v instanceof Expr.Percent p ? p.value() * 2.55 : number(v);
        return (int) Math.round(Math.max(0, Math.min(255, d)));
    }

    private static float unit(Object v) {
        return (float) clamp(v instanceof Expr.Percent p ? p.value() / 100 : number(v));
    }

    private static double fraction(Object v) {
        return v instanceof Expr.Percent p ? p.value() / 100 : number(v);
    }

    private static double number(Object v) {
        if (v instanceof Double d) {
            return d;
        }
        throw new IllegalArgumentException("not a number");
    }

    private static double clamp(double v) {
        return Math.max(0, Math.min(1, v));
    }
}
