package io.tessera.server.copy;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerResponse;
import io.tessera.server.auth.ApiKey;
import io.tessera.server.auth.Caller;
import io.tessera.server.auth.RequestAuth;
import io.tessera.server.db.RoleConnection;
import io.tessera.server.db.RolePools;
import io.tessera.server.http.ApiRequest;
import io.tessera.server.sql.Cors;
import io.tessera.server.sql.SqlApiErrors;
import io.tessera.server.sql.Watchdog;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/**
 * What both COPY endpoints share: CARTO's user and key resolution with the SQL API's error shapes, a connection
 * of the key's own role (any key: grants decide, as CARTO) in autocommit with the COPY time limit, and the
 * watchdog that enforces that limit from outside.
 */
final class CopySession {
    private final RequestAuth auth;
    private final RolePools pools;
    private final Watchdog watchdog;
    private final long timeoutMs;

    CopySession(RequestAuth auth, RolePools pools, Watchdog watchdog, long timeoutMs) {
        this.auth = auth;
        this.pools = pools;
        this.watchdog = watchdog;
        this.timeoutMs = timeoutMs;
    }

    Caller caller(ApiRequest req, ServerResponse res, boolean bodyCredentials) {
        Cors.apply(res);
        String username = auth.username(req, SqlApiErrors.INSTANCE);
        res.header("Carto-User", username);
        Caller caller = auth.resolve(req, SqlApiErrors.INSTANCE,
                bodyCredentials ? req::bodyParam : name -> Optional.empty());
        res.header("Carto-User-Id", caller.user().id().toString());
        res.header(HeaderNames.VARY, "Authorization");
        req.queryParam("client").ifPresent(c -> res.header("Carto-Client", c));
        if (!caller.key().allows(ApiKey.API_SQL)) {
            throw SqlApiErrors.noSqlGrant();
        }
        return caller;
    }

    RoleConnection connect(Caller caller) throws SQLException {
        RoleConnection conn = pools.connect(caller.key().dbRole());
        try (Statement s = conn.jdbc().createStatement()) {
            conn.jdbc().setAutoCommit(true);
            // The role's default statement_timeout is the interactive limit; COPY has its own (CARTO: 5 h).
            s.execute("SET statement_timeout = " + timeoutMs);
            return conn;
        } catch (SQLException | RuntimeException e) {
            conn.close();
            throw e;
        }
    }

    Watchdog.Guard guard(RoleConnection conn) {
        return watchdog.guard(conn, timeoutMs);
    }
}
