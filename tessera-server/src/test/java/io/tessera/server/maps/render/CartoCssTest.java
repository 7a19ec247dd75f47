package io.tessera.server.maps.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CartoCssTest {
    private static final Map<String, Object> NONE = Map.of();

    /** The symbolizers of the first attachment for a feature. */
    private static List<Symbolizer> resolve(Stylesheet s, int zoom, Map<String, Object> attrs, int geometryType) {
        return s.symbolizers(0, zoom, attrs, geometryType);
    }

    private static Color color(Stylesheet s, String property) {
        Symbolizer sym = resolve(s, 10, NONE, 1).get(0);
        return sym.color(property, NONE, null);
    }

    @Test
    void buildersDefaultStylesParseWithoutWarnings() {
        String css = """
                #layer {
                  marker-width: 7; marker-fill: #EE4D5A; marker-fill-opacity: 0.9; marker-line-color: #FFFFFF;
                  marker-line-width: 1; marker-line-opacity: 1; marker-placement: point; marker-type: ellipse;
                  marker-allow-overlap: true;
                }
                #layer { polygon-fill: #826DBA; polygon-opacity: 0.9; }
                #layer::outline { line-color: #FFFFFF; line-width: 1; line-opacity: 0.5; }
                """;
        Stylesheet s = CartoCss.parse(css);
        assertThat(s.warnings()).isEmpty();
        assertThat(s.attachmentNames()).containsExactly("", "outline");
        List<Symbolizer> syms = resolve(s, 3, NONE, 3);
        assertThat(syms).extracting(Symbolizer::type).containsExactly(Symbolizer.Type.MARKER, Symbolizer.Type.POLYGON);
        assertThat(syms.get(0).number("marker-width", NONE, 0)).isEqualTo(7);
        assertThat(syms.get(0).bool("marker-allow-overlap", NONE, false)).isTrue();
    }

    @Test
    void syntaxErrorsCarryLineAndColumn() {
        assertThatThrownBy(() -> CartoCss.parse("#layer {\n  marker-fill: red;\n"))
                .isInstanceOf(CartoCssException.class).hasMessageContaining("line 3").hasMessageContaining("missing '}'");
        assertThatThrownBy(() -> CartoCss.parse("#layer {\n  marker-fill: ;\n}"))
                .isInstanceOfSatisfying(CartoCssException.class, e -> {
                    assertThat(e.line()).isEqualTo(2);
                    assertThat(e.column()).isEqualTo(16);
                });
        assertThatThrownBy(() -> CartoCss.parse("#layer { marker-fill: 'red; }")).hasMessageContaining("unterminated string");
        assertThatThrownBy(() -> CartoCss.parse("#layer [zoom >> 3] { }")).isInstanceOf(CartoCssException.class);
        assertThatThrownBy(() -> CartoCss.parse("#layer { line-color: #12345; }")).hasMessageContaining("invalid colour");
        assertThatThrownBy(() -> CartoCss.parse("#layer { line-color: @nope; }"))
                .hasMessageContaining("@nope is undefined").hasMessageContaining("column 22");
        assertThatThrownBy(() -> CartoCss.parse("#layer { line-color: red }}")).hasMessageContaining("unexpected '}'");
        assertThatThrownBy(() -> CartoCss.parse("#layer { line-width: 1 2; }")).hasMessageContaining("expected ';'");
    }

    @Test
    void unsupportedPropertiesAndValuesAreWarningsNotErrors() {
        Stylesheet s = CartoCss.parse("""
                #layer {
                  marker-file: url(http://example.com/pin.svg);
                  comp-op: multiply;
                  shield-name: [name];
                  marker-fill: 12;
                  line-color: red;
                  line-join: wobbly;
                  line-width: spin(red, 10);
                }
                Map { srs: 'x'; }
                """);
        assertThat(s.warnings()).containsExactly(
                "line 2: unsupported property 'marker-file' ignored",
                "line 3: property 'comp-op' is not applied by Tessera's renderer; ignored",
                "line 4: unsupported property 'shield-name' ignored",
                "line 5: invalid value for 'marker-fill' ignored",
                "line 7: invalid value for 'line-join' ignored",
                "line 8: invalid value for 'line-width' ignored",
                "line 10: unsupported Map property 'srs' ignored");
        assertThat(resolve(s, 1, NONE, 2)).singleElement().satisfies(sym -> {
            assertThat(sym.type()).isEqualTo(Symbolizer.Type.LINE);
            assertThat(sym.properties()).containsOnlyKeys("line-color");
        });
    }

    @Test
    void colours() {
        assertThat(color(CartoCss.parse("#l { marker-fill: steelblue; }"), "marker-fill")).isEqualTo(new Color(70, 130, 180));
        assertThat(color(CartoCss.parse("#l { marker-fill: #f60; }"), "marker-fill")).isEqualTo(new Color(255, 102, 0));
        assertThat(color(CartoCss.parse("#l { marker-fill: #FF6600; }"), "marker-fill")).isEqualTo(new Color(255, 102, 0));
        assertThat(color(CartoCss.parse("#l { marker-fill: rgb(1, 2, 3); }"), "marker-fill")).isEqualTo(new Color(1, 2, 3));
        assertThat(color(CartoCss.parse("#l { marker-fill: rgba(10, 20, 30, 0.5); }"), "marker-fill"))
                .isEqualTo(new Color(10, 20, 30, 128));
        assertThat(color(CartoCss.parse("#l { marker-fill: hsl(0, 100%, 50%); }"), "marker-fill")).isEqualTo(Color.RED);
        assertThat(color(CartoCss.parse("#l { marker-fill: darken(#ffffff, 50%); }"), "marker-fill"))
                .isEqualTo(new Color(128, 128, 128));
        assertThat(color(CartoCss.parse("#l { marker-fill: fade(red, 25%); }"), "marker-fill"))
                .isEqualTo(new Color(255, 0, 0, 64));
        assertThat(color(CartoCss.parse("#l { marker-fill: transparent; }"), "marker-fill").getAlpha()).isZero();
    }

    @Test
    void variablesAreLexicallyScopedAndMayFollowTheirUse() {
        Stylesheet s = CartoCss.parse("""
                @w: 2;
                #l {
                  line-width: @w * 3;
                  line-color: @c;
                  [zoom > @z] { @w: 10; line-width: @w; }
                }
                @c: #010203;
                @z: 5;
                """);
        assertThat(s.warnings()).isEmpty();
        assertThat(resolve(s, 5, NONE, 2).get(0).number("line-width", NONE, 0)).isEqualTo(6);
        assertThat(resolve(s, 6, NONE, 2).get(0).number("line-width", NONE, 0)).isEqualTo(10);
        assertThat(resolve(s, 6, NONE, 2).get(0).color("line-color", NONE, null)).isEqualTo(new Color(1, 2, 3));
        assertThatThrownBy(() -> CartoCss.parse("@a: @b; @b: @a; #l { line-width: @a; }")).hasMessageContaining("refers to itself");
    }

    @Test
    void zoomFiltersCombineAndNest() {
        Stylesheet s = CartoCss.parse("""
                #l {
                  line-width: 1;
                  [zoom >= 5][zoom < 10] { line-width: 2; }
                  [zoom = 12] { line-width: 3; }
                  [zoom != 12][zoom > 10] { line-width: 4; }
                  [zoom <= 2] { line-width: 5; }
                }
                """);
        int[] expected = {5, 5, 5, 1, 1, 2, 2, 2, 2, 2, 1, 4, 3, 4};
        for (int z = 0; z < expected.length; z++) {
            assertThat(resolve(s, z, NONE, 2).get(0).number("line-width", NONE, 0)).as("zoom %d", z).isEqualTo(expected[z]);
        }
        assertThat(s.drawsAtZoom(3)).isTrue();
        assertThat(CartoCss.parse("#l[zoom > 14] { line-width: 1; }").drawsAtZoom(3)).isFalse();
    }

    @Test
    void attributeFiltersCompareAsMapnik() {
        Stylesheet s = CartoCss.parse("""
                #l {
                  marker-width: 1;
                  [kind = 'a'] { marker-width: 2; }
                  [pop > 10] { marker-fill: red; }
                  [pop >= 100] { marker-fill: blue; }
                  [pop < 0] { marker-fill: green; }
                  [pop <= -5] { marker-fill: black; }
                  [name != null] { marker-line-width: 3; }
                  [name =~ 'Ba.*'] { marker-height: 9; }
                  [kind = 1] { marker-opacity: 0.5; }
                  [flag = true] { marker-type: rectangle; }
                }
                """);
        Symbolizer a = resolve(s, 1, Map.of("kind", "a", "pop", 50, "name", "Bar", "flag", true), 1).get(0);
        assertThat(a.number("marker-width", NONE, 0)).isEqualTo(2);
        assertThat(a.color("marker-fill", NONE, null)).isEqualTo(Color.RED);
        assertThat(a.number("marker-line-width", NONE, 0)).isEqualTo(3);
        assertThat(a.number("marker-height", NONE, 0)).isEqualTo(9);
        assertThat(a.has("marker-opacity")).as("a string never equals a number").isFalse();
        assertThat(a.text("marker-type", NONE, "")).isEqualTo("rectangle");

        Symbolizer b = resolve(s, 1, Map.of("kind", "1", "pop", 100L, "name", "Foo"), 1).get(0);
        assertThat(b.number("marker-width", NONE, 0)).isEqualTo(1);
        assertThat(b.color("marker-fill", NONE, null)).isEqualTo(Color.BLUE);
        assertThat(b.has("marker-height")).isFalse();

        java.util.HashMap<String, Object> nulls = new java.util.HashMap<>();
        nulls.put("pop", -7.5);
        nulls.put("name", null);
        Symbolizer c = resolve(s, 1, nulls, 1).get(0);
        assertThat(c.color("marker-fill", NONE, null)).as("the later of two equally specific rules").isEqualTo(Color.BLACK);
        assertThat(c.has("marker-line-width")).isFalse();
        assertThat(resolve(s, 1, Map.of("kind", 1), 1).get(0).has("marker-opacity")).isTrue();
    }

    @Test
    void geometryTypeFilter() {
        Stylesheet s = CartoCss.parse("""
                #l {
                  ['mapnik::geometry_type' = 1] { marker-fill: red; }
                  [mapnik::geometry_type = 2] { line-color: red; }
                  ['mapnik::geometry_type' = 3] { polygon-fill: red; }
                }
                """);
        assertThat(resolve(s, 1, NONE, 1)).extracting(Symbolizer::type).containsExactly(Symbolizer.Type.MARKER);
        assertThat(resolve(s, 1, NONE, 2)).extracting(Symbolizer::type).containsExactly(Symbolizer.Type.LINE);
        assertThat(resolve(s, 1, NONE, 3)).extracting(Symbolizer::type).containsExactly(Symbolizer.Type.POLYGON);
    }

    @Test
    void specificityAsCarto() {
        Stylesheet s = CartoCss.parse("""
                #a[x = 1] { line-color: blue; }
                #a { line-color: red; line-width: 4; }
                #a.c { line-color: green; }
                .c[x = 1] { line-color: yellow; }
                """);
        Symbolizer one = resolve(s, 1, Map.of("x", 1), 2).get(0);
        assertThat(one.color("line-color", NONE, null)).as("an id and a class beat an id and a filter").isEqualTo(new Color(0, 128, 0));
        assertThat(one.number("line-width", NONE, 0)).as("inherited from a less specific rule").isEqualTo(4);

        Stylesheet later = CartoCss.parse("#a { line-color: red; } #a { line-color: blue; }");
        assertThat(resolve(later, 1, NONE, 2).get(0).color("line-color", NONE, null)).isEqualTo(Color.BLUE);
        Stylesheet twice = CartoCss.parse("#a { line-color: red; line-color: blue; }");
        assertThat(resolve(twice, 1, NONE, 2).get(0).color("line-color", NONE, null))
                .as("within one block carto keeps the first").isEqualTo(Color.RED);
    }

    @Test
    void symbolizersFollowTheirFirstDeclarationAndAttachmentsTheirs() {
        Stylesheet s = CartoCss.parse("""
                #l::top { marker-fill: red; }
                #l { line-color: red; polygon-fill: blue; text-name: [name]; text-face-name: 'DejaVu Sans Book'; }
                #l::top { line-color: black; }
                """);
        assertThat(s.attachmentNames()).containsExactly("top", "");
        assertThat(s.symbolizers(1, 1, NONE, 3)).extracting(Symbolizer::type)
                .containsExactly(Symbolizer.Type.LINE, Symbolizer.Type.POLYGON, Symbolizer.Type.TEXT);
        assertThat(s.symbolizers(0, 1, NONE, 3)).extracting(Symbolizer::type)
                .containsExactly(Symbolizer.Type.MARKER, Symbolizer.Type.LINE);
    }

    @Test
    void namedInstancesMakeSeparateSymbolizers() {
        Stylesheet s = CartoCss.parse("#l { casing/line-width: 6; casing/line-color: white; line-width: 2; }");
        assertThat(resolve(s, 1, NONE, 2)).hasSize(2);
        assertThat(resolve(s, 1, NONE, 2).get(0).number("line-width", NONE, 0)).isEqualTo(6);
    }

    @Test
    void expressionsAndLists() {
        Stylesheet s = CartoCss.parse("""
                #l {
                  text-name: [name] + ' (' + [pop] + ')';
                  marker-width: [size] * 2;
                  line-dasharray: 4, 2;
                }
                """);
        Map<String, Object> attrs = Map.of("name", "Bar", "pop", 12, "size", 3.5);
        List<Symbolizer> syms = resolve(s, 1, attrs, 2);
        assertThat(syms.get(0).text("text-name", attrs, "")).isEqualTo("Bar (12)");
        assertThat(syms.get(1).number("marker-width", attrs, 0)).isEqualTo(7);
        assertThat(syms.get(2).dashes("line-dasharray", attrs, 2)).containsExactly(8f, 4f);
    }

    @Test
    void mapBlockAndComments() {
        Stylesheet s = CartoCss.parse("""
                /* a block
                   comment */
                Map { background-color: #fff; buffer-size: 128; } // trailing
                #l { line-color: red; }
                """);
        assertThat(s.backgroundColor()).contains(Color.WHITE);
        assertThat(s.bufferSize()).hasValue(128);
        assertThat(CartoCss.parse("").attachmentCount()).isZero();
        assertThat(CartoCss.parse(null).backgroundColor()).isEmpty();
    }
}
