package io.tessera.server.sql;

/**
 * A statement with its literals taken out: string, escape-string, dollar-quoted and numeric literals
 * become {@code $1, $2, …}, comments go, whitespace collapses. Two point queries that differ only in
 * the id they look up share one fingerprint, so they share one EXPLAIN (see {@link QueryTables}).
 * The parameterised text is also what PostgreSQL plans generically ({@code PREPARE … AS <text>}), so
 * the relations found for a fingerprint do not depend on the values a request happened to use.
 *
 * @param text       the normalised statement, with {@code $n} in place of each literal
 * @param parameters how many literals were taken out
 * @param usable     false when the text already held {@code $n} parameters (nothing can be substituted safely)
 */
record QueryFingerprint(String text, int parameters, boolean usable) {

    static QueryFingerprint of(String sql) {
        StringBuilder out = new StringBuilder(sql.length());
        int n = sql.length();
        int params = 0;
        boolean usable = true;
        int i = 0;
        while (i < n) {
            char c = sql.charAt(i);
            char prev = i > 0 ? sql.charAt(i - 1) : ' ';
            if (c == '\'') {
                // E'…', B'…', X'…': the prefix letter was copied already; drop it with the literal.
                boolean prefixed = i > 0 && "EeBbXx".indexOf(prev) >= 0 && (i < 2 || !SqlScript.isIdentChar(sql.charAt(i - 2)));
                if (prefixed) {
                    out.setLength(out.length() - 1);
                }
                i = SqlScript.skipQuoted(sql, i, '\'', prefixed && (prev == 'E' || prev == 'e'));
                out.append('$').append(++params);
            } else if (c == '"') {
                int end = SqlScript.skipQuoted(sql, i, '"', false);
                out.append(sql, i, end);
                i = end;
            } else if (SqlScript.isCommentStart(sql, i)) {
                i = SqlScript.skipComment(sql, i);
                space(out);
            } else if (c == '$' && !SqlScript.isIdentChar(prev)) {
                int end = SqlScript.skipDollarQuoted(sql, i);
                if (end == i + 1) { // $1: the text is parameterised already
                    usable = false;
                    out.append(c);
                } else {
                    out.append('$').append(++params);
                }
                i = end;
            } else if (Character.isDigit(c) && !SqlScript.isIdentChar(prev) && prev != '.') {
                i = skipNumber(sql, i);
                out.append('$').append(++params);
            } else if (Character.isWhitespace(c)) {
                space(out);
                i++;
            } else {
                out.append(c);
                i++;
            }
        }
        int len = out.length();
        if (len > 0 && out.charAt(len - 1) == ' ') {
            out.setLength(len - 1);
        }
        return new QueryFingerprint(out.toString().strip(), params, usable);
    }

    private static void space(StringBuilder out) {
        if (!out.isEmpty() && out.charAt(out.length() - 1) != ' ') {
            out.append(' ');
        }
    }

    private static int skipNumber(String s, int i) {
        int n = s.length();
        while (i < n && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.' || s.charAt(i) == '_')) {
            i++;
        }
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            int j = i + 1;
            if (j < n && (s.charAt(j) == '+' || s.charAt(j) == '-')) {
                j++;
            }
            if (j < n && Character.isDigit(s.charAt(j))) {
                i = j;
                while (i < n && Character.isDigit(s.charAt(i))) {
                    i++;
                }
            }
        }
        return i;
    }
}
