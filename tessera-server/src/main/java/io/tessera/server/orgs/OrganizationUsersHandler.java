package io.tessera.server.orgs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import io.tessera.server.auth.Accounts;
import io.tessera.server.auth.Caller;
import io.tessera.server.auth.PlatformAuthErrors;
import io.tessera.server.auth.RequestAuth;
import io.tessera.server.auth.User;
import io.tessera.server.db.AdminDatabase;
import io.tessera.server.http.ApiRequest;
import io.tessera.server.http.Json;
import io.tessera.server.http.PlatformParams;
import io.tessera.server.users.UserStats;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * CARTO's EUMAPI (platform-api.md §5): an org admin's master key reads, creates, updates and deletes the
 * organization's users at {@code /api/:v/organization/:org/users[/:username]}. Its answers are bare texts
 * and JSON arrays with 401/404/410 — the shapes carto-python's {@code UserManager} expects. Creation is
 * synchronous here (CARTO enqueues it), so a GET right after a POST finds the user.
 */
final class OrganizationUsersHandler {
    private record Reply(int status, JsonNode body) {
    }

    private final RequestAuth auth;
    private final Accounts accounts;
    private final Organizations orgs;
    private final AdminDatabase admin;

    OrganizationUsersHandler(RequestAuth auth, Accounts accounts, Organizations orgs, AdminDatabase admin) {
        this.auth = auth;
        this.accounts = accounts;
        this.orgs = orgs;
        this.admin = admin;
    }

    void show(ApiRequest req, ServerResponse res) throws SQLException {
        send(res, withAdmin(req, org -> {
            Optional<User> user = member(org, req.pathParam("username"));
            return user.isPresent() ? new Reply(200, poro(user.get(), org)) : noSuchUser(req, org);
        }));
    }

    void create(ApiRequest req, ServerResponse res) throws SQLException {
        send(res, withAdmin(req, org -> {
            String username = param(req, "username").orElse(null);
            String email = param(req, "email").orElse(null);
            List<String> problems = new ArrayList<>();
            if (username == null) {
                problems.add("username is not present");
            }
            if (email == null) {
                problems.add("email is not present");
            } else if (!Organizations.validEmail(email)) {
                problems.add("email is not valid");
            }
            if (!problems.isEmpty()) {
                return errors(problems);
            }
            Accounts.Created created;
            try {
                created = accounts.create(username, email, null);
            } catch (IllegalArgumentException e) {
                return errors(List.of(e.getMessage()));
            }
            orgs.join(org, created.user(), param(req, "org_admin").map(Boolean::parseBoolean).orElse(false));
            return new Reply(200, poro(created.user(), org));
        }));
    }

    void update(ApiRequest req, ServerResponse res) throws SQLException {
        send(res, withAdmin(req, org -> {
            Optional<User> target = member(org, req.pathParam("username"));
            if (target.isEmpty()) {
                return noSuchUser(req, org);
            }
            Optional<String> email = param(req, "email");
            Optional<String> orgAdmin = param(req, "org_admin");
            if (email.isEmpty() && orgAdmin.isEmpty()) {
                return new Reply(410, TextNode.valueOf("No update params provided"));
            }
            User user = target.get();
            if (email.isPresent() && !email.get().equals(user.email())) {
                try {
                    orgs.setEmail(user, email.get());
                } catch (IllegalArgumentException e) {
                    return errors(List.of(e.getMessage()));
                }
            }
            if (orgAdmin.isPresent() && !user.id().equals(org.ownerId())) {
                orgs.join(org, user, Boolean.parseBoolean(orgAdmin.get()));
            }
            return new Reply(200, poro(accounts.findUserUncached(user.username()).orElseThrow(), org));
        }));
    }

    void delete(ApiRequest req, ServerResponse res) throws SQLException {
        send(res, withAdmin(req, org -> {
            Optional<User> target = member(org, req.pathParam("username"));
            if (target.isEmpty()) {
                return noSuchUser(req, org);
            }
            if (target.get().id().equals(org.ownerId())) {
                return new Reply(401, TextNode.valueOf("Can't delete org owner"));
            }
            accounts.delete(target.get().username());
            // CARTO answers 200 with the bare text "User deleted", which carto-python's User.delete() cannot
            // parse (pyrestcli feeds any 200 body to update_from_dict); 204 is what that client handles.
            return new Reply(204, null);
        }));
    }

    private interface OrgAction {
        Reply apply(Organizations.Organization org) throws SQLException;
    }

    /** Master key of an admin of the organization in the path; anything else is 401 {} ("not giving clues"). */
    private Reply withAdmin(ApiRequest req, OrgAction action) throws SQLException {
        Caller c = auth.resolve(req, PlatformAuthErrors.INSTANCE, req::bodyParam);
        Optional<Organizations.Organization> org = orgs.find(req.pathParam("org"));
        Optional<Organizations.Membership> m = orgs.membership(c.user());
        if (!c.key().isMaster() || org.isEmpty() || m.isEmpty() || !m.get().admin()
                || !m.get().organization().id().equals(org.get().id())) {
            return new Reply(401, Json.object());
        }
        return action.apply(org.get());
    }

    private Optional<User> member(Organizations.Organization org, String username) throws SQLException {
        Optional<User> u = accounts.findUserUncached(username);
        if (u.isEmpty()) {
            return u;
        }
        Optional<Organizations.Membership> m = orgs.membership(u.get());
        return m.isPresent() && m.get().organization().id().equals(org.id()) ? u : Optional.empty();
    }

    private static Reply noSuchUser(ApiRequest req, Organizations.Organization org) {
        return new Reply(404, TextNode.valueOf("No user with username '" + req.pathParam("username") + "' in '" + org.name() + "'"));
    }

    private static Reply errors(List<String> messages) {
        var a = Json.MAPPER.createArrayNode();
        messages.forEach(a::add);
        return new Reply(410, a);
    }

    /** Query first, then body (platform-api.md §0); a blank value counts as absent. */
    private static Optional<String> param(ApiRequest req, String name) {
        return PlatformParams.get(req, name).filter(v -> !v.isBlank());
    }

    /** {@code to_eumapi_poro}: the user presenter without {@code id}, plus {@code api_key}. */
    private ObjectNode poro(User user, Organizations.Organization org) throws SQLException {
        ObjectNode o = Json.object();
        o.put("username", user.username());
        o.put("email", user.email());
        for (String f : List.of("name", "last_name", "avatar_url", "website", "description", "location",
                "twitter_username", "disqus_shortname", "google_maps_query_string")) {
            o.putNull(f);
        }
        o.put("available_for_hire", false);
        o.put("base_url", "/user/" + user.username() + "/");
        Optional<Organizations.Membership> m = orgs.membership(user);
        o.put("org_admin", m.map(Organizations.Membership::admin).orElse(false));
        o.put("org_user", m.isPresent());
        o.put("viewer", false);
        o.put("role_display", m.map(x -> user.id().equals(org.ownerId()) ? "owner" : x.admin() ? "admin" : "builder").orElse("builder"));
        UserStats.put(admin, user, o);
        // Tessera has no derived (builder) visualizations: /api/v1/viz?type=derived is always empty.
        o.put("all_visualization_count", 0);
        o.put("public_visualization_count", 0);
        o.put("api_key", accounts.masterKey(user.username()).orElse(null));
        return o;
    }

    /**
     * Rails' {@code render json: "text"} sends a String as it is, unquoted; pyrestcli relies on that (a body that
     * is not JSON becomes the exception's message; a quoted JSON string crashes its error handling).
     */
    private static void send(ServerResponse res, Reply r) {
        res.status(Status.create(r.status()));
        if (r.body() == null) {
            res.send();
            return;
        }
        res.header(HeaderNames.CONTENT_TYPE, "application/json; charset=utf-8");
        res.send(r.body().isTextual() ? r.body().asText() : r.body().toString());
    }
}
