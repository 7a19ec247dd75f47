package io.tessera.server.sql;

import io.helidon.webserver.http.ServerResponse;

/** CORS headers on every {@code /sql*} response, errors and OPTIONS included (sql-api.md §6.4). */
public final class Cors {
    private Cors() {
    }

    public static void apply(ServerResponse res) {
        res.header("Access-Control-Allow-Origin", "*");
        res.header("Access-Control-Allow-Headers", "*");
        res.header("Access-Control-Expose-Headers", "*");
    }
}
