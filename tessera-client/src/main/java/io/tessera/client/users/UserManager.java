package io.tessera.client.users;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tessera.client.Json;
import io.tessera.client.auth.ApiKeyAuthClient;
import io.tessera.client.auth.AuthClient;
import io.tessera.client.http.ApiRequest;
import io.tessera.client.http.Responses;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * Users, as carto-python's {@code UserManager}: with an organization on the auth client, an org admin's master key
 * manages the organization's users ({@code api/v1/organization/ORG/users/}); without one, {@link #get} reads the
 * key's own user ({@code api/v1/users/}, the name is ignored by the server as in CARTO).
 */
public class UserManager {
    private final AuthClient auth;
    private final Optional<String> organization;

    public UserManager(AuthClient auth) {
        this.auth = Objects.requireNonNull(auth, "auth");
        this.organization = auth instanceof ApiKeyAuthClient k ? k.organization() : Optional.empty();
    }

    public User get(String username) {
        return User.of(Responses.json(auth.send(ApiRequest.get(userPath(username)))));
    }

    /** Creates a user in the organization (org admins only); the answer carries the new user's master key. */
    public User create(String username, String email, String password) {
        ObjectNode body = Json.mapper().createObjectNode().put("username", username).put("email", email);
        if (password != null) {
            body.put("password", password);
        }
        return User.of(Responses.json(auth.send(ApiRequest.post(collection()).withJson(body))));
    }

    /** Changes a user's e-mail address and/or org-admin flag (null = unchanged). */
    public User update(String username, String email, Boolean orgAdmin) {
        ObjectNode body = Json.mapper().createObjectNode();
        if (email != null) {
            body.put("email", email);
        }
        if (orgAdmin != null) {
            body.put("org_admin", orgAdmin);
        }
        return User.of(Responses.json(auth.send(ApiRequest.put(userPath(username)).withJson(body))));
    }

    /** Deletes a user of the organization and all its data. */
    public void delete(String username) {
        Responses.json(auth.send(ApiRequest.delete(userPath(username))));
    }

    private String collection() {
        return organization.map(o -> "api/v1/organization/" + encode(o) + "/users/").orElse("api/v1/users/");
    }

    private String userPath(String username) {
        return collection() + encode(username);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
