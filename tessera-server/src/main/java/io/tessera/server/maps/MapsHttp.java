package io.tessera.server.maps;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import io.tessera.server.http.ApiException;
import io.tessera.server.http.ApiRequest;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * HTTP details every Maps API route shares: CORS, JSON and JSONP bodies (JSONP answers 200 even for
 * errors, as Windshaft does), the callback check (security 15) and the base URL of generated links.
 */
final class MapsHttp {
    private static final Pattern CALLBACK = Pattern.compile("^[A-Za-z_$][0-9A-Za-z_$.]{0,127}$");

    private MapsHttp() {
    }

    static void cors(ServerResponse res) {
        res.header("Access-Control-Allow-Origin", "*");
        res.header("Access-Control-Allow-Headers", "X-Requested-With, X-Prototype-Version, X-CSRF-Token, Authorization, "
                + "Carto-Event, Carto-Event-Source, Carto-Event-Group-Id, Content-Type");
        res.header("Access-Control-Expose-Headers", "*");
        res.header(HeaderNames.VARY, "Authorization");
    }

    static Optional<String> callback(ApiRequest req) {
        Optional<String> cb = req.queryParam("callback").filter(s -> !s.isEmpty());
        if (cb.isPresent() && !CALLBACK.matcher(cb.get()).matches()) {
            throw MapsErrors.badRequest("Invalid callback parameter");
        }
        return cb;
    }

    static void sendJson(ServerResponse res, int status, ObjectNode body, String callback) {
        if (callback != null) {
            res.status(Status.OK_200);
            res.header(HeaderNames.CONTENT_TYPE, "text/javascript; charset=utf-8");
            res.send(("/**/ typeof " + callback + " === 'function' && " + callback + "(" + body + ");")
                    .getBytes(StandardCharsets.UTF_8));
            return;
        }
        res.status(Status.create(status));
        res.header(HeaderNames.CONTENT_TYPE, "application/json; charset=utf-8");
        res.send(body.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Runs a JSON route; errors go out as JSONP (200) when a valid callback was given. */
    static void jsonRoute(ApiRequest req, ServerResponse res, JsonWork work) throws Exception {
        cors(res);
        String callback = null;
        try {
            callback = callback(req).orElse(null);
            work.run(callback);
        } catch (ApiException e) {
            if (callback == null || res.isSent() || e.body() == null) {
                throw e;
            }
            sendJson(res, e.status(), e.body(), callback);
        }
    }

    @FunctionalInterface
    interface JsonWork {
        void run(String callback) throws Exception;
    }

    /** {@code scheme://host[/user/NAME]/api/v1/map}, as the request reached us. */
    static String mapsBase(ApiRequest req) {
        String proto = req.header("X-Forwarded-Proto").filter(p -> p.equals("https") || p.equals("http")).orElse("http");
        String host = req.host();
        return proto + "://" + host + req.pathUser().map(u -> "/user/" + u).orElse("") + "/api/v1/map";
    }
}
