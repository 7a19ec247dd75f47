package io.tessera.server.users;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tessera.server.auth.User;
import io.tessera.server.db.AdminDatabase;
import io.tessera.server.http.Json;
import java.sql.SQLException;

/**
 * The parts of CARTO's {@code UserPresenter#data} that Tessera can state truthfully: identity, the master
 * key, the user's tables and the bytes they take, read from the catalog at request time. Quota and billing
 * fields CARTO has and Tessera does not (geocoding credits, map views) are left out rather than invented.
 */
final class UserPresenter {
    private UserPresenter() {
    }

    static ObjectNode userData(AdminDatabase admin, User user, String masterToken, String baseUrl) throws SQLException {
        ObjectNode o = Json.object();
        o.put("id", user.id().toString());
        o.put("username", user.username());
        o.put("email", user.email());
        o.put("name", (String) null);
        o.put("last_name", (String) null);
        o.put("state", "active");
        o.put("account_type", "TESSERA");
        o.put("api_key", masterToken);
        o.put("base_url", baseUrl);
        o.put("viewer", false);
        o.put("org_admin", false);
        o.put("org_user", false);
        UserStats.put(admin, user, o);
        return o;
    }
}
