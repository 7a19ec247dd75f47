package io.tessera.server.maps.render;

import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A CartoCSS value expression. Constant parts are folded when the stylesheet is compiled; what remains
 * (field references such as {@code [name]}) is evaluated per feature. Values are {@link Double},
 * {@link String}, {@link Color}, {@link Keyword}, {@link Percent} or a {@link List} of those.
 */
sealed interface Expr {

    Object eval(Map<String, Object> attributes);

    default boolean isConstant() {
        return false;
    }

    /** A bare word such as {@code round} or {@code ellipse} (or a colour name, resolved on use). */
    record Keyword(String name) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** A number written with {@code %}. */
    record Percent(double value) {
    }

    record Literal(Object value) implements Expr {
        @Override
        public Object eval(Map<String, Object> attributes) {
            return value;
        }

        @Override
        public boolean isConstant() {
            return true;
        }
    }

    record Field(String name) implements Expr {
        @Override
        public Object eval(Map<String, Object> attributes) {
            Object v = attributes.get(name);
            return v instanceof Number n ? (Object) n.doubleValue() : v;
        }
    }

    record Variable(String name, int line, int column) implements Expr {
        @Override
        public Object eval(Map<String, Object> attributes) {
            throw new IllegalStateException("unresolved variable @" + name);
        }
    }

    record ListExpr(List<Expr> items) implements Expr {
        @Override
        public Object eval(Map<String, Object> attributes) {
            List<Object> out = new ArrayList<>(items.size());
            for (Expr e : items) {
                out.add(e.eval(attributes));
            }
            return out;
        }

        @Override
        public boolean isConstant() {
            return items.stream().allMatch(Expr::isConstant);
        }
    }

    /** Arithmetic on numbers, or {@code +} concatenation when either side is text (carto's text-name idiom). */
    record Binary(char op, Expr left, Expr right) implements Expr {
        @Override
        public Object eval(Map<String, Object> attributes) {
            Object l = left.eval(attributes);
            Object r = right.eval(attributes);
            if (l instanceof Double a && r instanceof Double b) {
                return switch (op) {
                    case '+' -> a + b;
                    case '-' -> a - b;
                    case '*' -> a * b;
                    default -> b == 0 ? 0.0 : a / b;
                };
            }
            if (op == '+') {
                return text(l) + text(r);
            }
            return null;
        }

        @Override
        public boolean isConstant() {
            return left.isConstant() && right.isConstant();
        }
    }

    record Call(String function, List<Expr> args, int line, int column) implements Expr {
        @Override
        public Object eval(Map<String, Object> attributes) {
            List<Object> values = new ArrayList<>(args.size());
            for (Expr e : args) {
                values.add(e.eval(attributes));
            }
            return CssColors.apply(function, values);
        }

        @Override
        public boolean isConstant() {
            return args.stream().allMatch(Expr::isConstant);
        }
    }

    static String text(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof Double d && d == Math.rint(d) && !Double.isInfinite(d)) {
            return Long.toString(d.longValue());
        }
        return v.toString();
    }
}
