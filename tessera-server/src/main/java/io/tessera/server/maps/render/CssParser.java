package io.tessera.server.maps.render;

import io.tessera.server.maps.render.CssToken.Kind;
import java.awt.Color;
import java.util.ArrayList;
import java.util.List;

/** Recursive-descent parser from CartoCSS tokens to a small syntax tree (rulesets, declarations, variables). */
final class CssParser {

    /** A block: selectors (none for the top level) and its declarations, variables and nested blocks in order. */
    record Ruleset(List<SelectorAst> selectors, List<Object> body) {
    }

    record Decl(String instance, String name, Expr value, int index, int line, int column) {
    }

    record VarDecl(String name, Expr value) {
    }

    record SelectorAst(List<String> ids, List<String> classes, boolean map, String attachment, List<FilterAst> filters,
            int index) {
    }

    /** {@code [key op value]}; the key {@code zoom} is the zoom level. */
    record FilterAst(String key, String op, Expr value, int line, int column) {
    }

    /** Nesting deeper than this (blocks, parentheses) is refused instead of exhausting the stack. */
    private static final int MAX_DEPTH = 64;

    private final List<CssToken> tokens;
    private int at;
    private int depth;

    private CssParser(List<CssToken> tokens) {
        this.tokens = tokens;
    }

    static Ruleset parse(String source) {
        CssParser p = new CssParser(CssLexer.tokenize(source));
        List<Object> body = p.body(true);
        return new Ruleset(List.of(), body);
    }

    private List<Object> body(boolean topLevel) {
        List<Object> body = new ArrayList<>();
        while (true) {
            CssToken t = peek();
            if (t.is(Kind.EOF)) {
                if (!topLevel) {
                    throw t.error("missing '}' before end of input");
                }
                return body;
            }
            if (t.is(Kind.RBRACE)) {
                if (topLevel) {
                    throw t.error("unexpected '}'");
                }
                next();
                return body;
            }
            if (t.is(Kind.SEMICOLON)) {
                next();
            } else if (t.is(Kind.AT) && peek(1).is(Kind.COLON)) {
                next();
                next();
                body.add(new VarDecl(t.text(), valueUntilEnd()));
            } else if (t.is(Kind.IDENT) && (peek(1).is(Kind.COLON)
                    || (peek(1).is(Kind.SLASH) && peek(2).is(Kind.IDENT) && peek(3).is(Kind.COLON)))) {
                body.add(declaration());
            } else {
                body.add(ruleset());
            }
        }
    }

    private Decl declaration() {
        CssToken first = next();
        String instance = "";
        String name = first.text();
        if (peek().is(Kind.SLASH)) {
            next();
            instance = name;
            name = next().text();
        }
        expect(Kind.COLON, "':'");
        Expr value = valueUntilEnd();
        return new Decl(instance, name, value, first.pos(), first.line(), first.column());
    }

    /** A value list ending at ';' (consumed) or before '}'. */
    private Expr valueUntilEnd() {
        List<Expr> items = new ArrayList<>();
        items.add(expression());
        while (peek().is(Kind.COMMA)) {
            next();
            items.add(expression());
        }
        CssToken t = peek();
        if (t.is(Kind.SEMICOLON)) {
            next();
        } else if (!t.is(Kind.RBRACE)) {
            throw t.error("expected ';' but found " + t.describe());
        }
        return items.size() == 1 ? items.get(0) : new Expr.ListExpr(items);
    }

    private Ruleset ruleset() {
        List<SelectorAst> selectors = new ArrayList<>();
        selectors.add(selector());
        while (peek().is(Kind.COMMA)) {
            next();
            selectors.add(selector());
        }
        CssToken open = expect(Kind.LBRACE, "'{'");
        enter(open);
        Ruleset r = new Ruleset(selectors, body(false));
        depth--;
        return r;
    }

    private void enter(CssToken t) {
        if (++depth > MAX_DEPTH) {
            throw t.error("nested more than " + MAX_DEPTH + " levels deep");
        }
    }

    private SelectorAst selector() {
        CssToken start = peek();
        List<String> ids = new ArrayList<>();
        List<String> classes = new ArrayList<>();
        List<FilterAst> filters = new ArrayList<>();
        boolean map = false;
        String attachment = null;
        int parts = 0;
        while (true) {
            CssToken t = peek();
            if (t.is(Kind.HASH)) {
                ids.add(next().text());
            } else if (t.is(Kind.DOT) && peek(1).is(Kind.IDENT)) {
                next();
                classes.add(next().text());
            } else if (t.isIdent("Map")) {
                next();
                map = true;
            } else if (t.is(Kind.STAR)) {
                next();
            } else if (t.is(Kind.LBRACKET)) {
                filters.add(filter());
            } else if (t.is(Kind.DOUBLE_COLON)) {
                next();
                CssToken name = next();
                if (!name.is(Kind.IDENT)) {
                    throw name.error("expected an attachment name after '::'");
                }
                if (attachment != null) {
                    throw name.error("a selector can have only one attachment");
                }
                attachment = name.text();
            } else {
                break;
            }
            parts++;
        }
        if (parts == 0) {
            throw start.error("expected a selector, a declaration or '}' but found " + start.describe());
        }
        return new SelectorAst(ids, classes, map, attachment, filters, start.pos());
    }

    private FilterAst filter() {
        CssToken open = expect(Kind.LBRACKET, "'['");
        CssToken keyTok = next();
        String key;
        if (keyTok.is(Kind.IDENT) || keyTok.is(Kind.STRING)) {
            key = keyTok.text();
            if (keyTok.is(Kind.IDENT) && peek().is(Kind.DOUBLE_COLON) && peek(1).is(Kind.IDENT)) {
                next();
                key = key + "::" + next().text();
            }
        } else {
            throw keyTok.error("expected a field name or zoom in filter but found " + keyTok.describe());
        }
        CssToken op = next();
        if (!op.is(Kind.OP)) {
            throw op.error("expected a comparison operator (=, !=, >, <, >=, <=, =~) but found " + op.describe());
        }
        Expr value = expression();
        expect(Kind.RBRACKET, "']'");
        return new FilterAst(key, op.text(), value, open.line(), open.column());
    }

    private Expr expression() {
        Expr left = term();
        while (peek().is(Kind.PLUS) || peek().is(Kind.MINUS)) {
            char op = next().text().charAt(0);
            left = new Expr.Binary(op, left, term());
        }
        return left;
    }

    private Expr term() {
        Expr left = unary();
        while (peek().is(Kind.STAR) || peek().is(Kind.SLASH)) {
            char op = next().text().charAt(0);
            left = new Expr.Binary(op, left, unary());
        }
        return left;
    }

    private Expr unary() {
        if (peek().is(Kind.MINUS)) {
            CssToken minus = next();
            enter(minus);
            Expr e = new Expr.Binary('-', new Expr.Literal(0.0), unary());
            depth--;
            return e;
        }
        return primary();
    }

    private Expr primary() {
        CssToken t = next();
        switch (t.kind()) {
            case NUMBER -> {
                return new Expr.Literal(t.unit().equals("%") ? new Expr.Percent(t.number()) : (Object) t.number());
            }
            case STRING, URL -> {
                return new Expr.Literal(t.text());
            }
            case HASH -> {
                Color c = CssColors.hex(t.text());
                if (c == null) {
                    throw t.error("invalid colour '#" + t.text() + "'");
                }
                return new Expr.Literal(c);
            }
            case AT -> {
                return new Expr.Variable(t.text(), t.line(), t.column());
            }
            case LBRACKET -> {
                CssToken name = next();
                if (!name.is(Kind.IDENT) && !name.is(Kind.STRING)) {
                    throw name.error("expected a field name after '['");
                }
                expect(Kind.RBRACKET, "']'");
                return new Expr.Field(name.text());
            }
            case LPAREN -> {
                enter(t);
                Expr e = expression();
                expect(Kind.RPAREN, "')'");
                depth--;
                return e;
            }
            case IDENT -> {
                if (peek().is(Kind.LPAREN)) {
                    enter(next());
                    List<Expr> args = new ArrayList<>();
                    if (!peek().is(Kind.RPAREN)) {
                        args.add(expression());
                        while (peek().is(Kind.COMMA)) {
                            next();
                            args.add(expression());
                        }
                    }
                    expect(Kind.RPAREN, "')'");
                    depth--;
                    return new Expr.Call(t.text(), args, t.line(), t.column());
                }
                return new Expr.Literal(new Expr.Keyword(t.text()));
            }
            default -> throw t.error("expected a value but found " + t.describe());
        }
    }

    private CssToken expect(Kind kind, String what) {
        CssToken t = next();
        if (!t.is(kind)) {
            throw t.error("expected " + what + " but found " + t.describe());
        }
        return t;
    }

    private CssToken peek() {
        return tokens.get(at);
    }

    private CssToken peek(int ahead) {
        return tokens.get(Math.min(at + ahead, tokens.size() - 1));
    }

    private CssToken next() {
        CssToken t = tokens.get(at);
        if (!t.is(Kind.EOF)) {
            at++;
        }
        return t;
    }
}
