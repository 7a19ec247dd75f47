package io.tessera.server.maps;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.webserver.http.ServerResponse;
import io.tessera.server.auth.ApiKey;
import io.tessera.server.auth.Caller;
import io.tessera.server.auth.RequestAuth;
import io.tessera.server.http.ApiRequest;
import io.tessera.server.maps.MapDrawing.Drawer;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Resolves {@code :token} of a layergroup route to its stored config and decides who draws it
 * (decisions: which role draws a map; maps-api.md §4.1): anonymous layergroups draw as the requesting
 * key's role; named ones as the template owner's role, once the template's auth lets the request in.
 */
final class LayergroupAccess {
    /** A layergroup ready to draw. */
    record Resolved(LayergroupToken token, LayergroupStore.Stored stored, Drawer drawer, Caller caller) {
    }

    private final RequestAuth auth;
    private final LayergroupStore store;
    private final TemplateStore templates;

    LayergroupAccess(RequestAuth auth, LayergroupStore store, TemplateStore templates) {
        this.auth = auth;
        this.store = store;
        this.templates = templates;
    }

    /** The caller; {@code bodyKey} reads a key from the body where the route has one. */
    Caller caller(ApiRequest req, ServerResponse res, java.util.function.Function<String, java.util.Optional<String>> bodyKey) {
        String username = auth.username(req, MapsErrors.INSTANCE);
        res.header("Carto-User", username);
        Caller caller = auth.resolve(req, MapsErrors.INSTANCE, bodyKey);
        res.header("Carto-User-Id", caller.user().id().toString());
        if (!caller.key().allows(ApiKey.API_MAPS)) {
            throw MapsErrors.forbidden("Forbidden"); // a key without the maps grant (maps-api.md §4.1)
        }
        req.queryParam("client").ifPresent(c -> res.header("Carto-Client", c));
        return caller;
    }

    Resolved resolve(ApiRequest req, ServerResponse res, String tokenText) {
        Caller caller = caller(req, res, name -> java.util.Optional.empty());
        LayergroupToken token = LayergroupToken.parse(tokenText).orElseThrow(() -> invalidToken(tokenText));
        LayergroupStore.Stored stored;
        try {
            stored = store.find(caller.user().id(), token.md5()).orElseThrow(() -> invalidToken(tokenText));
        } catch (SQLException e) {
            throw MapsErrors.fromSql(e, null);
        }
        res.header("Carto-Map-Id", token.md5());
        if (!stored.named()) {
            if (token.isNamed()) {
                throw invalidToken(tokenText);
            }
            return new Resolved(token, stored, new Drawer(caller.key().dbRole(), caller.user(), false), caller);
        }
        if (token.signer() == null || !token.signer().equals(caller.user().username())) {
            throw MapsErrors.error(403, "auth", null, "Cannot use map signature of user \"" + token.signer()
                    + "\" on db of user \"" + caller.user().username() + "\"", null);
        }
        // the template as it is now, not the copy made at instantiation (Windshaft's authorizedBySigner): a rotated
        // token or a deleted template revokes every layergroup made from it, on every node
        ObjectNode current = currentTemplate(caller, stored.template()).orElseThrow(() -> invalidToken(tokenText));
        if (!caller.key().isMaster() && !TemplateAuth.allows(current.path("auth"), req.queryParam("auth_token"))) {
            throw MapsErrors.tokenNotAuthorized();
        }
        return new Resolved(token, stored, new Drawer(caller.user().ownerRole(), caller.user(), true), caller);
    }

    /** The owner's template this layergroup was made from, if it still exists with the same content. */
    private Optional<ObjectNode> currentTemplate(Caller caller, ObjectNode ref) {
        try {
            return templates.find(caller.user().id(), ref.path("name").asText())
                    .filter(t -> Hashes.md5Hex(t.toString()).equals(ref.path("hash").asText()));
        } catch (SQLException e) {
            throw MapsErrors.fromSql(e, null);
        }
    }

    static boolean presentedKey(Caller caller) {
        return !caller.key().token().equals(ApiKey.DEFAULT_PUBLIC);
    }

    private static io.tessera.server.http.ApiException invalidToken(String token) {
        return MapsErrors.error(400, "unknown", null, "Invalid or nonexistent map configuration token '" + token + "'", null);
    }
}
