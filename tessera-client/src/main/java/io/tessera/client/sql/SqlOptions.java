package io.tessera.client.sql;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * How {@link SqlClient} sends one query: POST or GET, the {@code format}, and any other SQL API parameter
 * ({@code skipfields}, {@code filename}, {@code dp}, {@code page}, {@code rows_per_page}, …). The counterpart of
 * carto-python's {@code send(sql, do_post=True, format=None, **extra)} keywords; immutable, built with withers:
 * {@code SqlOptions.defaults().withFormat("csv").withParam("filename", "x")}.
 *
 * @param doPost POST the query as a form (default); when false the query goes by GET if shorter than 1024
 *               characters, as carto-python decides
 * @param format the SQL API format ({@code json}, {@code geojson}, {@code csv}, …), or null for the server default
 *               (JSON)
 * @param params other parameters, in order
 */
public record SqlOptions(boolean doPost, String format, Map<String, String> params) {

    private static final SqlOptions DEFAULTS = new SqlOptions(true, null, Map.of());

    public SqlOptions {
        format = format == null || format.isBlank() ? null : format.toLowerCase(Locale.ROOT);
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params == null ? Map.of() : params));
    }

    /** POST, server-default format, no extra parameters. */
    public static SqlOptions defaults() {
        return DEFAULTS;
    }

    /** These options with {@code doPost} set; {@code false} allows GET for short queries. */
    public SqlOptions withDoPost(boolean post) {
        return new SqlOptions(post, format, params);
    }

    /** These options with the given {@code format}. */
    public SqlOptions withFormat(String newFormat) {
        return new SqlOptions(doPost, newFormat, params);
    }

    /** These options with one more parameter (replacing a previous value of the same name). */
    public SqlOptions withParam(String name, String value) {
        Map<String, String> p = new LinkedHashMap<>(params);
        p.put(name, value);
        return new SqlOptions(doPost, format, p);
    }

    /** These options with every entry of {@code more} added. */
    public SqlOptions withParams(Map<String, String> more) {
        Map<String, String> p = new LinkedHashMap<>(params);
        p.putAll(more);
        return new SqlOptions(doPost, format, p);
    }

    /** Whether the answer is JSON the SDK parses ({@code json}, {@code geojson}, or no format at all). */
    public boolean isJsonFormat() {
        return format == null || format.equals("json") || format.equals("geojson");
    }
}
