package io.tessera.server.maps.render;

/**
 * Entry point of Tessera's CartoCSS subset: layer selectors, {@code Map} background, nested rules, zoom and
 * attribute filters, variables, colours and the {@code marker-*}, {@code line-*}, {@code polygon-*} and basic
 * {@code text-*} properties (see ARCHITECTURE.md, "Raster tiles").
 */
public final class CartoCss {
    private CartoCss() {
    }

    /**
     * Parses and compiles a stylesheet.
     *
     * @throws CartoCssException on a syntax error (with line and column); properties Tessera does not draw are
     *     reported in {@link Stylesheet#warnings()} instead
     */
    public static Stylesheet parse(String cartocss) {
        return StyleCompiler.compile(CssParser.parse(cartocss == null ? "" : cartocss));
    }
}
