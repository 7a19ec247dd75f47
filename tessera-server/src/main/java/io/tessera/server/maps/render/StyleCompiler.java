package io.tessera.server.maps.render;

import io.tessera.server.maps.render.CssParser.Decl;
import io.tessera.server.maps.render.CssParser.FilterAst;
import io.tessera.server.maps.render.CssParser.Ruleset;
import io.tessera.server.maps.render.CssParser.SelectorAst;
import io.tessera.server.maps.render.CssParser.VarDecl;
import io.tessera.server.maps.render.StyleDefinition.Declaration;
import java.awt.Color;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the syntax tree into carto's flat rule list: nested selectors are combined with their parents
 * (filters added, zoom ranges intersected, specificity summed), variables resolved in their lexical scope,
 * constants folded and checked. Anything Tessera cannot draw becomes a warning, never an error.
 */
final class StyleCompiler {

    /** A selector after combining it with its ancestors. */
    private record Flat(int ids, int classes, boolean map, String attachment, long zoom, List<AttributeFilter> filters,
            int conditions, int index) {
        static final Flat ROOT = new Flat(0, 0, false, "", CartoZoom.ALL, List.of(), 0, 0);
    }

    /** Variables visible in a block; carto resolves them lazily, so a use may precede the definition. */
    private static final class Scope {
        final Scope parent;
        final Map<String, Expr> vars = new HashMap<>();

        Scope(Scope parent, List<Object> body) {
            this.parent = parent;
            for (Object o : body) {
                if (o instanceof VarDecl v) {
                    vars.put(v.name(), v.value());
                }
            }
        }

        Expr lookup(String name) {
            for (Scope s = this; s != null; s = s.parent) {
                Expr e = s.vars.get(name);
                if (e != null) {
                    return e;
                }
            }
            return null;
        }
    }

    private final Set<String> warnings = new LinkedHashSet<>();
    private final List<StyleDefinition> definitions = new ArrayList<>();
    private final Map<String, Object> mapProperties = new LinkedHashMap<>();

    static Stylesheet compile(Ruleset root) {
        StyleCompiler c = new StyleCompiler();
        Scope scope = new Scope(null, root.body());
        c.walk(root.body(), List.of(Flat.ROOT), scope, true);
        Color background = CssColors.toColor(c.mapProperties.get("background-color"));
        Object buffer = c.mapProperties.get("buffer-size");
        Integer bufferSize = buffer instanceof Double d ? (int) Math.round(d) : null;
        return new Stylesheet(c.definitions, background, bufferSize, List.copyOf(c.warnings));
    }

    private void walk(List<Object> body, List<Flat> flats, Scope scope, boolean topLevel) {
        for (Object o : body) {
            if (o instanceof Decl d) {
                if (topLevel) {
                    warn(d.line(), "declaration '" + d.name() + "' outside any selector ignored");
                    continue;
                }
                for (Flat f : flats) {
                    if (f.map()) {
                        mapDeclaration(d, scope);
                    }
                }
            } else if (o instanceof Ruleset r) {
                List<Flat> combined = new ArrayList<>();
                for (Flat parent : flats) {
                    for (SelectorAst s : r.selectors()) {
                        Flat f = combine(parent, s, scope);
                        if (f != null) {
                            combined.add(f);
                        }
                    }
                }
                Scope inner = new Scope(scope, r.body());
                boolean styled = combined.stream().anyMatch(f -> !f.map());
                Map<String, Declaration> decls = styled ? declarations(r.body(), inner) : Map.of();
                for (Flat f : combined) {
                    if (!f.map() && !decls.isEmpty()) {
                        definitions.add(new StyleDefinition(f.attachment(), f.zoom(), f.filters(), decls, f.ids(),
                                f.classes(), f.conditions(), f.index()));
                    }
                }
                walk(r.body(), combined, inner, false);
            }
        }
    }

    private Flat combine(Flat parent, SelectorAst s, Scope scope) {
        long zoom = parent.zoom();
        List<AttributeFilter> filters = new ArrayList<>(parent.filters());
        for (FilterAst f : s.filters()) {
            Object value = fold(f.value(), scope, f.line(), f.column());
            if (f.key().equals("zoom")) {
                if (!(value instanceof Double d)) {
                    throw new CartoCssException("zoom must be compared with a number", f.line(), f.column());
                }
                zoom &= CartoZoom.mask(f.op(), d);
            } else {
                if (value instanceof Expr.Percent || value instanceof Color || value instanceof List<?>) {
                    throw new CartoCssException("a filter compares with a number, a string, true, false or null",
                            f.line(), f.column());
                }
                try {
                    filters.add(AttributeFilter.of(f.key(), f.op(), value));
                } catch (java.util.regex.PatternSyntaxException e) {
                    throw new CartoCssException("invalid regular expression in filter", f.line(), f.column());
                }
            }
        }
        String attachment = s.attachment() != null ? s.attachment() : parent.attachment();
        return new Flat(parent.ids() + s.ids().size(), parent.classes() + s.classes().size(), parent.map() || s.map(),
                attachment, zoom, List.copyOf(filters), parent.conditions() + s.filters().size(), s.index());
    }

    private Map<String, Declaration> declarations(List<Object> body, Scope scope) {
        Map<String, Declaration> out = new LinkedHashMap<>();
        for (Object o : body) {
            if (!(o instanceof Decl d)) {
                continue;
            }
            StyleProperty p = StyleProperty.byName(d.name());
            if (p == null) {
                if (isMapProperty(d.name())) {
                    continue;
                }
                if (StyleProperty.IGNORED.contains(d.name())) {
                    warn(d.line(), "property '" + d.name() + "' is not applied by Tessera's renderer; ignored");
                } else {
                    warn(d.line(), "unsupported property '" + d.name() + "' ignored");
                }
                continue;
            }
            Expr value = resolve(d.value(), scope, new HashSet<>());
            if (value.isConstant()) {
                Object v = value.eval(Map.of());
                if (v == null || !p.accepts(v)) {
                    warn(d.line(), "invalid value for '" + d.name() + "' ignored");
                    continue;
                }
                value = new Expr.Literal(v);
            } else if (!checkFunctions(value, d.line())) {
                continue;
            }
            // carto keeps the first of two declarations of a property in one block.
            out.putIfAbsent(d.instance() + "/" + d.name(), new Declaration(d.instance(), p, value, d.index()));
        }
        return out;
    }

    private void mapDeclaration(Decl d, Scope scope) {
        if (!isMapProperty(d.name())) {
            warn(d.line(), "unsupported Map property '" + d.name() + "' ignored");
            return;
        }
        Expr value = resolve(d.value(), scope, new HashSet<>());
        if (value.isConstant()) {
            mapProperties.put(d.name(), value.eval(Map.of()));
        }
    }

    private static boolean isMapProperty(String name) {
        return name.equals("background-color") || name.equals("buffer-size");
    }

    private boolean checkFunctions(Expr e, int line) {
        if (e instanceof Expr.Call c && !CssColors.isFunction(c.function())) {
            warn(line, "unsupported function '" + c.function() + "()' ignored");
            return false;
        }
        return true;
    }

    /** Resolves variables and evaluates what is constant (a filter's value must be). */
    private Object fold(Expr e, Scope scope, int line, int column) {
        Expr r = resolve(e, scope, new HashSet<>());
        if (!r.isConstant()) {
            throw new CartoCssException("a filter value must be a constant", line, column);
        }
        return r.eval(Map.of());
    }

    private Expr resolve(Expr e, Scope scope, Set<String> seen) {
        return switch (e) {
            case Expr.Variable v -> {
                Expr def = scope.lookup(v.name());
                if (def == null) {
                    throw new CartoCssException("variable @" + v.name() + " is undefined", v.line(), v.column());
                }
                if (!seen.add(v.name()) || seen.size() > 64) {
                    throw new CartoCssException("variable @" + v.name() + " refers to itself", v.line(), v.column());
                }
                Expr r = resolve(def, scope, seen);
                seen.remove(v.name());
                yield r;
            }
            case Expr.ListExpr l -> new Expr.ListExpr(l.items().stream().map(i -> resolve(i, scope, seen)).toList());
            case Expr.Binary b -> new Expr.Binary(b.op(), resolve(b.left(), scope, seen), resolve(b.right(), scope, seen));
            case Expr.Call c -> new Expr.Call(c.function(), c.args().stream().map(i -> resolve(i, scope, seen)).toList(),
                    c.line(), c.column());
            default -> e;
        };
    }

    private void warn(int line, String message) {
        warnings.add("line " + line + ": " + message);
    }
}
