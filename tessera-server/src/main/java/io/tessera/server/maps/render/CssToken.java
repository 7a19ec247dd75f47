package io.tessera.server.maps.render;

/** One lexical token of a CartoCSS source; {@code pos} is the character offset (carto's "index"). */
record CssToken(Kind kind, String text, double number, String unit, int pos, int line, int column) {

    enum Kind {
        IDENT, HASH, AT, STRING, NUMBER, URL, DOT, COLON, DOUBLE_COLON, SEMICOLON, COMMA, LBRACE, RBRACE, LBRACKET,
        RBRACKET, LPAREN, RPAREN, PLUS, MINUS, STAR, SLASH, OP, EOF
    }

    boolean is(Kind k) {
        return kind == k;
    }

    boolean isIdent(String name) {
        return kind == Kind.IDENT && text.equals(name);
    }

    CartoCssException error(String message) {
        return new CartoCssException(message, line, column);
    }

    String describe() {
        return kind == Kind.EOF ? "end of input" : "'" + text + "'";
    }
}
