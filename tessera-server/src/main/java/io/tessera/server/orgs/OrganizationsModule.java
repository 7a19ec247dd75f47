package io.tessera.server.orgs;

import io.tessera.server.http.Router;
import io.tessera.server.module.ApiModule;
import io.tessera.server.module.ServerContext;
import java.util.Set;

/** Organization user management (EUMAPI): {@code /api/:v/organization/:org/users[/:username]}. */
public final class OrganizationsModule implements ApiModule {
    private final OrganizationUsersHandler users;

    public OrganizationsModule(ServerContext ctx) {
        var platform = ctx.platform();
        this.users = new OrganizationUsersHandler(ctx.auth(), platform.accounts(),
                new Organizations(platform.admin(), platform.accounts()), platform.admin());
    }

    @Override
    public void register(Router router) {
        router.add(Set.of("POST"), "/api/{version}/organization/{org}/users", users::create)
                .add(Set.of("GET"), "/api/{version}/organization/{org}/users/{username}", users::show)
                .add(Set.of("PUT"), "/api/{version}/organization/{org}/users/{username}", users::update)
                .add(Set.of("DELETE"), "/api/{version}/organization/{org}/users/{username}", users::delete);
    }
}
