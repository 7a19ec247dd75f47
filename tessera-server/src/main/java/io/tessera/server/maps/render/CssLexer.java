package io.tessera.server.maps.render;

import io.tessera.server.maps.render.CssToken.Kind;
import java.util.ArrayList;
import java.util.List;

/** Splits CartoCSS into tokens, skipping {@code /* *}{@code /} and {@code //} comments. */
final class CssLexer {
    private final String src;
    private int pos;
    private int line = 1;
    private int lineStart;
    private final List<CssToken> out = new ArrayList<>();

    private CssLexer(String src) {
        this.src = src;
    }

    static List<CssToken> tokenize(String src) {
        CssLexer lx = new CssLexer(src);
        lx.run();
        return lx.out;
    }

    private void run() {
        while (true) {
            skipBlanks();
            if (pos >= src.length()) {
                out.add(token(Kind.EOF, "", pos, line, col(pos)));
                return;
            }
            int start = pos;
            int l = line;
            int c = col(pos);
            char ch = src.charAt(pos);
            if (Character.isDigit(ch) || (ch == '.' && isDigitAt(pos + 1))
                    || (ch == '-' && (isDigitAt(pos + 1) || (peek(1) == '.' && isDigitAt(pos + 2))) && numberMayStart())) {
                number(start, l, c);
            } else if (isNameStart(ch) || (ch == '-' && pos + 1 < src.length() && isNameStart(src.charAt(pos + 1)))) {
                String name = name();
                if (name.equalsIgnoreCase("url") && peek(0) == '(') {
                    url(start, l, c);
                } else {
                    out.add(token(Kind.IDENT, name, start, l, c));
                }
            } else if (ch == '#' || ch == '@') {
                pos++;
                String name = name();
                if (name.isEmpty()) {
                    throw new CartoCssException("expected a name after '" + ch + "'", l, c);
                }
                out.add(token(ch == '#' ? Kind.HASH : Kind.AT, name, start, l, c));
            } else if (ch == '\'' || ch == '"') {
                string(ch, start, l, c);
            } else {
                punctuation(ch, start, l, c);
            }
        }
    }

    private void punctuation(char ch, int start, int l, int c) {
        char next = peek(1);
        Kind kind;
        String text = String.valueOf(ch);
        switch (ch) {
            case '{' -> kind = Kind.LBRACE;
            case '}' -> kind = Kind.RBRACE;
            case '[' -> kind = Kind.LBRACKET;
            case ']' -> kind = Kind.RBRACKET;
            case '(' -> kind = Kind.LPAREN;
            case ')' -> kind = Kind.RPAREN;
            case ';' -> kind = Kind.SEMICOLON;
            case ',' -> kind = Kind.COMMA;
            case '.' -> kind = Kind.DOT;
            case '+' -> kind = Kind.PLUS;
            case '-' -> kind = Kind.MINUS;
            case '*' -> kind = Kind.STAR;
            case '/' -> kind = Kind.SLASH;
            case ':' -> {
                if (next == ':') {
                    kind = Kind.DOUBLE_COLON;
                    text = "::";
                } else {
                    kind = Kind.COLON;
                }
            }
            case '=', '!', '<', '>' -> {
                kind = Kind.OP;
                if (next == '=' || (ch == '=' && next == '~')) {
                    text = text + next;
                } else if (ch == '!') {
                    throw new CartoCssException("unexpected '!'", l, c);
                }
            }
            default -> throw new CartoCssException("unexpected character '" + ch + "'", l, c);
        }
        pos += text.length();
        out.add(token(kind, text, start, l, c));
    }

    private void number(int start, int l, int c) {
        if (src.charAt(pos) == '-') {
            pos++;
        }
        while (pos < src.length() && (Character.isDigit(src.charAt(pos)) || src.charAt(pos) == '.')) {
            pos++;
        }
        String digits = src.substring(start, pos);
        double value;
        try {
            value = Double.parseDouble(digits);
        } catch (NumberFormatException e) {
            throw new CartoCssException("invalid number '" + digits + "'", l, c);
        }
        String unit = "";
        if (peek(0) == '%') {
            pos++;
            unit = "%";
        } else if (isNameStart(peek(0))) {
            unit = name();
        }
        out.add(new CssToken(Kind.NUMBER, src.substring(start, pos), value, unit, start, l, c));
    }

    private void url(int start, int l, int c) {
        pos++;
        int close = src.indexOf(')', pos);
        if (close < 0) {
            throw new CartoCssException("unterminated url(", l, c);
        }
        String raw = src.substring(pos, close).strip();
        if (raw.length() >= 2 && (raw.charAt(0) == '\'' || raw.charAt(0) == '"') && raw.charAt(raw.length() - 1) == raw.charAt(0)) {
            raw = raw.substring(1, raw.length() - 1);
        }
        pos = close + 1;
        out.add(token(Kind.URL, raw, start, l, c));
    }

    private void string(char quote, int start, int l, int c) {
        pos++;
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= src.length() || src.charAt(pos) == '\n') {
                throw new CartoCssException("unterminated string", l, c);
            }
            char ch = src.charAt(pos++);
            if (ch == quote) {
                break;
            }
            if (ch == '\\' && pos < src.length()) {
                ch = src.charAt(pos++);
            }
            sb.append(ch);
        }
        out.add(token(Kind.STRING, sb.toString(), start, l, c));
    }

    private String name() {
        int start = pos;
        while (pos < src.length() && isNameChar(src.charAt(pos))) {
            pos++;
        }
        return src.substring(start, pos);
    }

    private void skipBlanks() {
        while (pos < src.length()) {
            char ch = src.charAt(pos);
            if (ch == '\n') {
                pos++;
                line++;
                lineStart = pos;
            } else if (Character.isWhitespace(ch)) {
                pos++;
            } else if (ch == '/' && peek(1) == '*') {
                int l = line;
                int c = col(pos);
                int end = src.indexOf("*/", pos + 2);
                if (end < 0) {
                    throw new CartoCssException("unterminated comment", l, c);
                }
                for (int i = pos; i < end; i++) {
                    if (src.charAt(i) == '\n') {
                        line++;
                        lineStart = i + 1;
                    }
                }
                pos = end + 2;
            } else if (ch == '/' && peek(1) == '/') {
                while (pos < src.length() && src.charAt(pos) != '\n') {
                    pos++;
                }
            } else {
                return;
            }
        }
    }

    /** A '-' directly before a digit is a sign only where an operand may start (not after a value). */
    private boolean numberMayStart() {
        if (out.isEmpty()) {
            return true;
        }
        Kind k = out.get(out.size() - 1).kind();
        return !(k == Kind.NUMBER || k == Kind.IDENT || k == Kind.AT || k == Kind.RPAREN || k == Kind.RBRACKET
                || k == Kind.STRING);
    }

    private boolean isDigitAt(int i) {
        return i < src.length() && Character.isDigit(src.charAt(i));
    }

    private char peek(int ahead) {
        int i = pos + ahead;
        return i < src.length() ? src.charAt(i) : '\0';
    }

    private int col(int p) {
        return p - lineStart + 1;
    }

    private CssToken token(Kind kind, String text, int start, int l, int c) {
        return new CssToken(kind, text, 0, "", start, l, c);
    }

    private static boolean isNameStart(char ch) {
        return Character.isLetter(ch) || ch == '_';
    }

    private static boolean isNameChar(char ch) {
        return Character.isLetterOrDigit(ch) || ch == '_' || ch == '-';
    }
}
