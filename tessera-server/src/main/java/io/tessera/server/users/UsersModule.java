package io.tessera.server.users;

import io.tessera.server.auth.PlatformCallers;
import io.tessera.server.http.Router;
import io.tessera.server.module.ApiModule;
import io.tessera.server.module.ServerContext;
import java.util.Set;

/** Who-am-I endpoints: {@code /api/v3/me}, {@code /api/v4/me}, {@code /api/v1/users/:id} (platform-api.md §5). */
public final class UsersModule implements ApiModule {
    private final MeHandler me;

    public UsersModule(ServerContext ctx) {
        this.me = new MeHandler(ctx.auth(), new PlatformCallers(ctx.auth(), ctx.platform().accounts()), ctx.platform().admin());
    }

    @Override
    public void register(Router router) {
        router.add(Set.of("GET"), "/api/v3/me", me::v3)
                .add(Set.of("GET"), "/api/v4/me", me::v4)
                .add(Set.of("GET"), "/api/{version}/users/{id}", me::user);
    }
}
