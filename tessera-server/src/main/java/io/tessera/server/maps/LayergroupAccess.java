package io.tessera.server.maps;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.webserver.http.ServerResponse;
import io.tessera.server.auth.ApiKey;
import io.tessera.server.auth.Caller;
import io.tessera.server.auth.RequestAuth;
import io.tessera.server.db.ChangeFeed;
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

    /**
     * A caller authorized as of {@code round}: the validation round it waited for before anything was looked up
     * (null when there was none: then nothing is served from memory alone).
     */
    record MapCaller(Caller caller, ChangeFeed.Round round) {
        /** Anonymous maps draw as the requesting key's role. */
        Drawer asKey() {
            return new Drawer(caller.key().dbRole(), caller.user(), false, round);
        }

        /** Named maps draw as the template owner's role. */
        Drawer asOwner() {
            return new Drawer(caller.user().ownerRole(), caller.user(), true, round);
        }
    }

    private final RequestAuth auth;
    private final LayergroupStore store;
    private final TemplateStore templates;
    private final ChangeFeed feed;

    LayergroupAccess(RequestAuth auth, LayergroupStore store, TemplateStore templates, ChangeFeed feed) {
        this.auth = auth;
        this.store = store;
        this.templates = templates;
        this.feed = feed;
    }

    /** The caller; {@code bodyKey} reads a key from the body where the route has one. */
    Caller caller(ApiRequest req, ServerResponse res, java.util.function.Function<String, java.util.Optional<String>> bodyKey) {
        return authorize(req, res, bodyKey).caller();
    }

    /**
     * The caller, looked up only after a validation round that began after the request arrived (when the feed can
     * give one): keys, users and templates come from caches the feed keeps, so a key deleted or a token rotated
     * before this request, on any node, is refused.
     */
    MapCaller authorize(ApiRequest req, ServerResponse res, java.util.function.Function<String, java.util.Optional<String>> bodyKey) {
        ChangeFeed.Round round = feed.awaitRound();
        String username = auth.username(req, MapsErrors.INSTANCE);
        res.header("Carto-User", username);
        // without a round, the caches could be behind a change made just before this request: read the rows
        Caller caller = auth.resolve(req, MapsErrors.INSTANCE, bodyKey, round == null);
        res.header("Carto-User-Id", caller.user().id().toString());
        if (!caller.key().allows(ApiKey.API_MAPS)) {
            throw MapsErrors.forbidden("Forbidden"); // a key without the maps grant (maps-api.md §4.1)
        }
        req.queryParam("client").ifPresent(c -> res.header("Carto-Client", c));
        return new MapCaller(caller, round);
    }

    Resolved resolve(ApiRequest req, ServerResponse res, String tokenText) {
        MapCaller who = authorize(req, res, name -> java.util.Optional.empty());
        Caller caller = who.caller();
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
            return new Resolved(token, stored, who.asKey(), caller);
        }
        if (token.signer() == null || !token.signer().equals(caller.user().username())) {
            throw MapsErrors.error(403, "auth", null, "Cannot use map signature of user \"" + token.signer()
                    + "\" on db of user \"" + caller.user().username() + "\"", null);
        }
        // the template as it is now, not the copy made at instantiation (Windshaft's authorizedBySigner): a rotated
        // token or a deleted template revokes every layergroup made from it, on every node
        TemplateStore.Current current = currentTemplate(who, stored.template()).orElseThrow(() -> invalidToken(tokenText));
        if (!caller.key().isMaster() && !TemplateAuth.allows(current.json().path("auth"), req.queryParam("auth_token"))) {
            throw MapsErrors.tokenNotAuthorized();
        }
        return new Resolved(token, stored, who.asOwner(), caller);
    }

    /** The owner's template this layergroup was made from, if it still exists with the same content. */
    private Optional<TemplateStore.Current> currentTemplate(MapCaller who, ObjectNode ref) {
        try {
            return templates.current(who.caller().user().id(), ref.path("name").asText(), who.round() == null)
                    .filter(t -> t.md5().equals(ref.path("hash").asText()));
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
