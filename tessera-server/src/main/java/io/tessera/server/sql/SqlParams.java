package io.tessera.server.sql;

import io.tessera.server.http.ApiRequest;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The SQL API's parameters, read with its own rule: body values override the query string
 * (sql-api.md §1.4). Validates what must never reach SQL unchecked ({@code dp}, {@code callback},
 * pagination).
 */
public record SqlParams(String q, OutputFormat format, boolean formatGiven, String filename, Set<String> skipfields,
                        int dp, Integer page, Integer rowsPerPage, String callback, boolean persist) {
    private static final Pattern CALLBACK = Pattern.compile("^[A-Za-z_$][0-9A-Za-z_$.]*$");

    public static SqlParams read(ApiRequest r) {
        String q = get(r, "q").orElseThrow(() -> SqlApiErrors.badRequest("You must indicate a sql query"));
        Optional<String> f = get(r, "format").filter(s -> !s.isEmpty());
        OutputFormat format = f.map(s -> OutputFormat.parse(s.toLowerCase(Locale.ROOT))).orElse(OutputFormat.JSON);
        Set<String> skip = new LinkedHashSet<>();
        List<String> raw = r.bodyParams().containsKey("skipfields") ? r.bodyParams().get("skipfields") : r.query().get("skipfields");
        if (raw != null) {
            for (String v : raw) {
                for (String s : v.split(",")) {
                    if (!s.isBlank()) {
                        skip.add(s.trim());
                    }
                }
            }
        }
        int dp = get(r, "dp").filter(s -> !s.isEmpty()).map(s -> parseInt(s, "dp", 0, 15)).orElse(6);
        Integer page = get(r, "page").map(SqlParams::intOrNull).orElse(null);
        Integer rows = get(r, "rows_per_page").map(SqlParams::intOrNull).orElse(null);
        if (page != null && rows != null && (page < 0 || rows < 0)) {
            throw SqlApiErrors.badRequest("page and rows_per_page must not be negative");
        }
        String callback = get(r, "callback").filter(s -> !s.isEmpty()).orElse(null);
        if (callback != null && !CALLBACK.matcher(callback).matches()) {
            throw SqlApiErrors.badRequest("Invalid callback format");
        }
        String filename = get(r, "filename").orElse(null);
        boolean persist = get(r, "cache_policy").filter("persist"::equals).isPresent();
        return new SqlParams(q, format, f.isPresent(), filename, skip, dp, page, rows, callback, persist);
    }

    /** The callback, if the request named a valid one (read early so even auth errors can be JSONP). */
    public static Optional<String> callbackOf(ApiRequest r) {
        return get(r, "callback").filter(s -> CALLBACK.matcher(s).matches());
    }

    static Optional<String> get(ApiRequest r, String name) {
        return r.bodyParam(name).or(() -> r.queryParam(name));
    }

    public boolean paginated() {
        return page != null && rowsPerPage != null;
    }

    /** {@code inline} only when neither format nor filename was given (sql-api.md §2.7). */
    public boolean inline() {
        return !formatGiven && filename == null;
    }

    private static Integer intOrNull(String s) {
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static int parseInt(String s, String name, int min, int max) {
        Integer v = intOrNull(s);
        if (v == null || v < min || v > max) {
            throw SqlApiErrors.badRequest(name + " must be an integer between " + min + " and " + max);
        }
        return v;
    }
}
