package io.tessera.server.users;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.webserver.http.ServerResponse;
import io.tessera.server.TesseraServer;
import io.tessera.server.auth.Caller;
import io.tessera.server.auth.PlatformAuthErrors;
import io.tessera.server.auth.PlatformCallers;
import io.tessera.server.auth.RequestAuth;
import io.tessera.server.db.AdminDatabase;
import io.tessera.server.http.ApiRequest;
import io.tessera.server.http.Json;
import io.tessera.server.http.PlatformParams;
import java.sql.SQLException;

/**
 * Who am I: {@code GET /api/v3/me} (master key → {@code config} + {@code user_data}; any other key is
 * anonymous → {@code config} only), {@code GET /api/v4/me} (any key) and {@code GET /api/v1/users/:id}
 * (master key; {@code :id} is ignored, as in CARTO) — platform-api.md §5.
 */
final class MeHandler {
    private final RequestAuth auth;
    private final PlatformCallers callers;
    private final AdminDatabase admin;

    MeHandler(RequestAuth auth, PlatformCallers callers, AdminDatabase admin) {
        this.auth = auth;
        this.callers = callers;
        this.admin = admin;
    }

    void v3(ApiRequest req, ServerResponse res) throws SQLException {
        Caller c = auth.resolve(req, PlatformAuthErrors.INSTANCE, req::bodyParam);
        ObjectNode body = Json.object();
        body.put("user_frontend_version", TesseraServer.VERSION);
        ObjectNode config = body.putObject("config");
        config.put("user_name", c.user().username());
        config.put("account_host", req.host());
        if (c.key().isMaster()) {
            body.set("user_data", UserPresenter.userData(admin, c.user(), c.key().token(), PlatformParams.baseUrl(req, c.user().username())));
        }
        send(res, body);
    }

    void v4(ApiRequest req, ServerResponse res) {
        Caller c = auth.resolve(req, PlatformAuthErrors.INSTANCE, req::bodyParam);
        String base = PlatformParams.baseUrl(req, c.user().username());
        ObjectNode body = Json.object();
        body.put("username", c.user().username());
        body.putNull("organization");
        ObjectNode endpoints = body.putObject("api_endpoints");
        endpoints.put("sql", base + "api/v2/sql");
        endpoints.put("maps", base + "api/v1/map");
        endpoints.put("import", base + "api/v1/imports");
        endpoints.put("auth", base + "api/v3/api_keys");
        send(res, body);
    }

    void user(ApiRequest req, ServerResponse res) throws SQLException {
        Caller c = callers.master(req);
        send(res, UserPresenter.userData(admin, c.user(), c.key().token(), PlatformParams.baseUrl(req, c.user().username())));
    }

    private static void send(ServerResponse res, ObjectNode body) {
        PlatformParams.sendJson(res, 200, body);
    }
}
