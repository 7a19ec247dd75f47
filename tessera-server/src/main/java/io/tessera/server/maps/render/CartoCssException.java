package io.tessera.server.maps.render;

/**
 * A CartoCSS syntax error, with the 1-based line and column where it was found. The Maps API turns it into a
 * 400 for the layer whose style failed to parse.
 */
public final class CartoCssException extends RuntimeException {
    private final int line;
    private final int column;

    public CartoCssException(String message, int line, int column) {
        super("CartoCSS syntax error at line " + line + ", column " + column + ": " + message);
        this.line = line;
        this.column = column;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }
}
