package io.tessera.client.http;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Decodes a query string or form body into pairs, for assertions. */
public final class QueryParams {

    private QueryParams() {
    }

    public static List<Param> of(URI uri) {
        return parse(uri.getRawQuery());
    }

    public static List<Param> parse(String encoded) {
        List<Param> out = new ArrayList<>();
        if (encoded == null || encoded.isEmpty()) {
            return out;
        }
        for (String pair : encoded.split("&")) {
            int eq = pair.indexOf('=');
            out.add(new Param(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1))));
        }
        return out;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
