package io.tessera.server.module;

import io.helidon.http.HeaderNames;
import io.tessera.server.http.Json;
import io.tessera.server.http.Router;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/** Version, health, the OpenAPI description and the root page. */
public final class ServerInfoModule implements ApiModule {
    private final String version;
    private final String cartoSqlApiVersion;

    public ServerInfoModule(String version, String cartoSqlApiVersion) {
        this.version = version;
        this.cartoSqlApiVersion = cartoSqlApiVersion;
    }

    @Override
    public void register(Router router) {
        byte[] openapi = resource("/openapi.yaml");
        router.add(Set.of("GET"), "/api/{version}/version", (req, res) -> {
                    res.header(HeaderNames.CONTENT_TYPE, "application/json; charset=utf-8");
                    res.send(Json.object().put("cartodb_sql_api", cartoSqlApiVersion).put("tessera", version).toString());
                })
                .add(Set.of("GET"), "/api/{version}/health", (req, res) -> {
                    res.header(HeaderNames.CONTENT_TYPE, "application/json; charset=utf-8");
                    res.send(Json.object().put("enabled", true).put("ok", true).put("elapsed", 0).toString());
                })
                .add(Set.of("GET"), "/openapi.yaml", (req, res) -> {
                    res.header(HeaderNames.CONTENT_TYPE, "application/yaml; charset=utf-8");
                    res.send(openapi);
                })
                .add(Set.of("GET"), "/", (req, res) -> {
                    res.header(HeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
                    res.send(("Tessera " + version + " is running. SQL API: /user/<username>/api/v2/sql?q=...\n"
                            + "API description: /openapi.yaml\n").getBytes(StandardCharsets.UTF_8));
                });
    }

    private static byte[] resource(String name) {
        try (InputStream in = ServerInfoModule.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
