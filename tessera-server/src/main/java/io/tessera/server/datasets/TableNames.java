package io.tessera.server.datasets;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;

/**
 * CARTO's name normalisation (platform-api.md §1.6): accents stripped, lower case, characters outside
 * {@code [a-z0-9_]} dropped or turned into {@code _}, a leading digit and reserved words prefixed with
 * {@code _}, 63 characters at most; table names made unique with {@code _1}, {@code _2} ….
 */
public final class TableNames {
    public static final int MAX = 63;
    private static final Set<String> RESERVED = Set.of("all", "analyse", "analyze", "and", "any", "array", "as", "asc",
            "asymmetric", "authorization", "binary", "both", "case", "cast", "check", "collate", "column", "concurrently",
            "constraint", "create", "cross", "current_catalog", "current_date", "current_role", "current_schema",
            "current_time", "current_timestamp", "current_user", "default", "deferrable", "desc", "distinct", "do",
            "else", "end", "except", "false", "fetch", "for", "foreign", "freeze", "from", "full", "grant", "group",
            "having", "ilike", "in", "initially", "inner", "intersect", "into", "is", "isnull", "join", "lateral",
            "leading", "left", "like", "limit", "localtime", "localtimestamp", "natural", "not", "notnull", "null",
            "offset", "on", "only", "or", "order", "outer", "overlaps", "placing", "primary", "references", "returning",
            "right", "select", "session_user", "similar", "some", "symmetric", "table", "tablesample", "then", "to",
            "trailing", "true", "union", "unique", "user", "using", "variadic", "verbose", "when", "where", "window",
            "with", "oid", "tableoid", "xmin", "cmin", "xmax", "cmax", "ctid");

    private TableNames() {
    }

    /** A column or table name as CARTO sanitizes it; {@code fallback} when nothing usable is left. */
    public static String normalize(String raw, String fallback) {
        String s = Normalizer.normalize(raw == null ? "" : raw, Normalizer.Form.NFD).replaceAll("\\p{M}+", "");
        s = s.toLowerCase(Locale.ROOT).trim();
        s = s.replaceAll("[\\[\\]{}&%$+,'\"`!?()<>*=;:@#^~|\\\\/]", "");
        s = s.replaceAll("[^a-z0-9_]+", "_").replaceAll("_{2,}", "_");
        s = s.replaceAll("^_+(?=.)", "").replaceAll("(?<=.)_+$", "");
        if (s.isEmpty() || s.equals("_")) {
            s = fallback;
        }
        if (Character.isDigit(s.charAt(0)) || RESERVED.contains(s)) {
            s = "_" + s;
        }
        return s.length() > MAX ? s.substring(0, MAX) : s;
    }

    /** The first of {@code base}, {@code base_1}, {@code base_2} … that {@code taken} does not hold. */
    public static String unique(String base, Predicate<String> taken) {
        if (!taken.test(base)) {
            return base;
        }
        for (int i = 1; ; i++) {
            String suffix = "_" + i;
            String stem = base.length() + suffix.length() > MAX ? base.substring(0, MAX - suffix.length()) : base;
            if (!taken.test(stem + suffix)) {
                return stem + suffix;
            }
        }
    }

    /** A new name for a dataset (PUT name): normalised; refused when empty. */
    public static String checkRename(String requested) {
        if (requested == null || requested.isBlank()) {
            throw PlatformErrors.updateError(400, "Name can't be blank");
        }
        return normalize(requested, "untitled_table");
    }
}
