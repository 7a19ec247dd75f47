package io.tessera.server.keys;

import io.tessera.server.auth.PlatformCallers;
import io.tessera.server.http.Router;
import io.tessera.server.module.ApiModule;
import io.tessera.server.module.ServerContext;
import java.util.Set;

/** The Auth API: {@code /api/v3/api_keys} (platform-api.md §6). */
public final class KeysModule implements ApiModule {
    private final ApiKeysHandler keys;

    public KeysModule(ServerContext ctx) {
        this.keys = new ApiKeysHandler(ctx.auth(), new PlatformCallers(ctx.auth(), ctx.platform().accounts()),
                new KeyStore(ctx.platform()));
    }

    @Override
    public void register(Router router) {
        router.add(Set.of("GET"), "/api/v3/api_keys", keys::list)
                .add(Set.of("POST"), "/api/v3/api_keys", keys::create)
                .add(Set.of("GET"), "/api/v3/api_keys/{name}", keys::show)
                .add(Set.of("DELETE"), "/api/v3/api_keys/{name}", keys::delete)
                .add(Set.of("POST"), "/api/v3/api_keys/{name}/token/regenerate", keys::regenerate);
    }
}
