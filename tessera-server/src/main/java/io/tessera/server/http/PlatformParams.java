package io.tessera.server.http;

import java.util.Optional;

/** Parameter reading of the platform APIs: query string over body (platform-api.md §0, decisions). */
public final class PlatformParams {
    private PlatformParams() {
    }

    public static Optional<String> get(ApiRequest req, String name) {
        Optional<String> q = req.queryParam(name);
        return q.isPresent() ? q : req.bodyParam(name);
    }

    public static boolean flag(ApiRequest req, String name, boolean dflt) {
        return get(req, name).map(v -> v.isEmpty() ? dflt : !(v.equalsIgnoreCase("false") || v.equals("0"))).orElse(dflt);
    }

    /** The user's base URL as the client reached it ({@code http://u.host/} or {@code http://host/user/u/}). */
    public static String baseUrl(ApiRequest req, String username) {
        String scheme = req.header("X-Forwarded-Proto").orElse("http");
        String prefix = req.pathUser().isPresent() ? "/user/" + username + "/" : "/";
        return scheme + "://" + req.host() + prefix;
    }

    public static void sendJson(io.helidon.webserver.http.ServerResponse res, int status, Object body) {
        res.status(io.helidon.http.Status.create(status));
        res.header(io.helidon.http.HeaderNames.CONTENT_TYPE, "application/json; charset=utf-8");
        res.send(body.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
