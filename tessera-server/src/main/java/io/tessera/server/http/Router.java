package io.tessera.server.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes every request: strips a {@code /user/NAME} or {@code /u/NAME} prefix (the tenant named in the
 * path wins over the Host), ignores a trailing slash, and matches {@code /api/{version}/sql}-style
 * patterns where {@code {x}} captures one segment. One catch-all Helidon handler calls this, so every
 * API accepts both URL shapes the same way.
 */
public final class Router implements Handler {
    private static final Logger LOG = LoggerFactory.getLogger(Router.class);

    private record Route(Set<String> methods, String[] segments, ApiHandler handler) {
    }

    private final List<Route> routes = new ArrayList<>();
    private final int maxBodyBytes;

    /** @param maxBodyBytes the largest form or JSON body a request may have read as parameters */
    public Router(int maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    /** Registers a route for the given methods; an empty set means any method. */
    public Router add(Set<String> methods, String pattern, ApiHandler handler) {
        routes.add(new Route(methods, split(pattern), handler));
        return this;
    }

    private static final io.helidon.http.Header NOSNIFF = io.helidon.http.HeaderValues.create(
            HeaderNames.create("X-Content-Type-Options"), "nosniff");

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        res.header(NOSNIFF);
        String path = req.path().path();
        String user = null;
        String[] segs = split(path);
        int offset = 0;
        if (segs.length >= 2 && (segs[0].equals("user") || segs[0].equals("u"))) {
            user = segs[1];
            offset = 2;
        }
        String method = req.prologue().method().text();
        boolean pathMatched = false;
        for (Route r : routes) {
            if (!matches(r.segments, segs, offset)) {
                continue;
            }
            pathMatched = true;
            if (!r.methods.isEmpty() && !r.methods.contains(method)) {
                continue;
            }
            String rest = "/" + String.join("/", java.util.Arrays.copyOfRange(segs, offset, segs.length));
            ApiRequest apiReq = new ApiRequest(req, method, rest, user, params(r.segments, segs, offset), maxBodyBytes);
            invoke(r.handler, apiReq, res);
            return;
        }
        send(res, pathMatched ? 405 : 404, Json.errorList(pathMatched ? "Method not allowed" : "Not found").toString());
    }

    private static void invoke(ApiHandler h, ApiRequest req, ServerResponse res) {
        try {
            h.handle(req, res);
        } catch (ApiException e) {
            sendError(res, e);
        } catch (Exception e) {
            LOG.error("Unexpected error on {} {}", req.method(), req.path(), e);
            if (!res.isSent()) {
                send(res, 500, Json.errorList("Unexpected error").toString());
            }
        }
    }

    /** Writes an {@link ApiException} unless the response has already started. */
    public static void sendError(ServerResponse res, ApiException e) {
        if (res.isSent()) {
            LOG.debug("error after the response started: {}", e.getMessage());
            return;
        }
        send(res, e.status(), e.body() == null ? "" : e.body().toString());
    }

    private static void send(ServerResponse res, int status, String body) {
        res.status(Status.create(status));
        if (!body.isEmpty()) {
            res.header(HeaderNames.CONTENT_TYPE, "application/json; charset=utf-8");
        }
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        try {
            res.send(b);
        } catch (RuntimeException ex) {
            // the client went away
            LOG.debug("could not send error", ex);
        }
    }

    // Every request tries the routes in order: matching allocates nothing, only the matched route's parameters.
    private static boolean matches(String[] pattern, String[] segs, int offset) {
        if (segs.length - offset != pattern.length) {
            return false;
        }
        for (int i = 0; i < pattern.length; i++) {
            String p = pattern[i];
            if (!isParam(p) && !p.equals(segs[offset + i])) {
                return false;
            }
        }
        return true;
    }

    private static Map<String, String> params(String[] pattern, String[] segs, int offset) {
        Map<String, String> params = new HashMap<>();
        for (int i = 0; i < pattern.length; i++) {
            if (isParam(pattern[i])) {
                params.put(pattern[i].substring(1, pattern[i].length() - 1), segs[offset + i]);
            }
        }
        return params;
    }

    private static boolean isParam(String p) {
        return p.startsWith("{") && p.endsWith("}");
    }

    private static String[] split(String path) {
        List<String> out = new ArrayList<>(8);
        int start = 0;
        for (int i = 0; i <= path.length(); i++) {
            if (i == path.length() || path.charAt(i) == '/') {
                if (i > start) {
                    out.add(path.substring(start, i));
                }
                start = i + 1;
            }
        }
        return out.toArray(new String[0]);
    }

}
