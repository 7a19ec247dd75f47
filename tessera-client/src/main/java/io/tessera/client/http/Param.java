package io.tessera.client.http;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * One name/value pair of a query string or a form body. Pairs are kept in a list, not a map, so order is stable
 * and a name may repeat (the SQL API accepts e.g. {@code skipfields} repeated).
 *
 * @param name  the parameter name
 * @param value the parameter value
 */
public record Param(String name, String value) {

    public Param {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
    }

    /** {@code application/x-www-form-urlencoded} text of {@code params}, as Python's {@code urlencode} writes it. */
    public static String encode(List<Param> params) {
        return params.stream()
                .map(p -> urlEncode(p.name) + "=" + urlEncode(p.value))
                .collect(Collectors.joining("&"));
    }

    private static String urlEncode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
