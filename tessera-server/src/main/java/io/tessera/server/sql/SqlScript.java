package io.tessera.server.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits SQL text into statements with a real lexer: single quotes (with {@code ''}), {@code E'…'}
 * strings with backslash escapes, double-quoted identifiers, dollar quotes, {@code --} and nested
 * {@code /* *}{@code /} comments. Statements that are only whitespace or comments are dropped.
 */
public final class SqlScript {
    private SqlScript() {
    }

    public static List<String> split(String sql) {
        List<String> out = new ArrayList<>();
        int n = sql.length();
        int start = 0;
        int i = 0;
        while (i < n) {
            char c = sql.charAt(i);
            if (c == '\'') {
                boolean backslashEscapes = i > 0 && (sql.charAt(i - 1) == 'E' || sql.charAt(i - 1) == 'e')
                        && (i < 2 || !isIdentChar(sql.charAt(i - 2)));
                i = skipQuoted(sql, i, '\'', backslashEscapes);
            } else if (c == '"') {
                i = skipQuoted(sql, i, '"', false);
            } else if (isCommentStart(sql, i)) {
                i = skipComment(sql, i);
            } else if (c == '$' && (i == 0 || !isIdentChar(sql.charAt(i - 1)))) {
                i = skipDollarQuoted(sql, i);
            } else if (c == ';') {
                addIfNotEmpty(out, sql.substring(start, i));
                i++;
                start = i;
            } else {
                i++;
            }
        }
        addIfNotEmpty(out, sql.substring(start));
        return out;
    }

    /** The first keyword of a statement, upper-cased, after comments, whitespace and opening parentheses. */
    public static String firstKeyword(String statement) {
        return keywords(statement, 1).stream().findFirst().orElse("");
    }

    /** The first {@code max} keywords (bare words) of a statement, upper-cased, skipping comments and parentheses. */
    public static List<String> keywords(String statement, int max) {
        List<String> words = new ArrayList<>();
        int n = statement.length();
        int i = 0;
        while (i < n && words.size() < max) {
            char c = statement.charAt(i);
            if (Character.isWhitespace(c) || c == '(' || c == ')') {
                i++;
            } else if (isCommentStart(statement, i)) {
                i = skipComment(statement, i);
            } else if (Character.isLetter(c) || c == '_') {
                int s = i;
                while (i < n && isIdentChar(statement.charAt(i))) {
                    i++;
                }
                words.add(statement.substring(s, i).toUpperCase(Locale.ROOT));
            } else {
                break;
            }
        }
        return words;
    }

    /** True if the text holds nothing but whitespace and comments. */
    public static boolean isBlank(String statement) {
        int n = statement.length();
        int i = 0;
        while (i < n) {
            char c = statement.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (isCommentStart(statement, i)) {
                i = skipComment(statement, i);
            } else {
                return false;
            }
        }
        return true;
    }

    private static void addIfNotEmpty(List<String> out, String stmt) {
        if (!isBlank(stmt)) {
            out.add(stmt.strip());
        }
    }

    static int skipQuoted(String s, int i, char q, boolean backslashEscapes) {
        int n = s.length();
        i++;
        while (i < n) {
            char c = s.charAt(i);
            if (backslashEscapes && c == '\\') {
                i += 2;
            } else if (c == q) {
                if (i + 1 < n && s.charAt(i + 1) == q) {
                    i += 2;
                } else {
                    return i + 1;
                }
            } else {
                i++;
            }
        }
        return n;
    }

    static boolean isCommentStart(String s, int i) {
        return s.startsWith("--", i) || s.startsWith("/*", i);
    }

    /** The index after the {@code --} line comment or (nested) block comment starting at {@code i}. */
    static int skipComment(String s, int i) {
        if (s.startsWith("--", i)) {
            int nl = s.indexOf('\n', i);
            return nl < 0 ? s.length() : nl + 1;
        }
        return skipBlockComment(s, i);
    }

    /** The end (exclusive) of the block comment opening at {@code i}; PostgreSQL nests them, so depth is counted. */
    public static int skipBlockComment(String s, int i) {
        int n = s.length();
        int depth = 0;
        while (i < n) {
            if (s.startsWith("/*", i)) {
                depth++;
                i += 2;
            } else if (s.startsWith("*/", i)) {
                depth--;
                i += 2;
                if (depth == 0) {
                    return i;
                }
            } else {
                i++;
            }
        }
        return n;
    }

    static int skipDollarQuoted(String s, int i) {
        int n = s.length();
        int j = i + 1;
        while (j < n && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_')) {
            j++;
        }
        if (j >= n || s.charAt(j) != '$' || (j > i + 1 && Character.isDigit(s.charAt(i + 1)))) {
            return i + 1; // a positional parameter like $1, not a dollar quote
        }
        String tag = s.substring(i, j + 1);
        int end = s.indexOf(tag, j + 1);
        return end < 0 ? n : end + tag.length();
    }

    static boolean isIdentChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }
}
