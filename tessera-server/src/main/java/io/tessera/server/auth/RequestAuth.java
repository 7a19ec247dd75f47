package io.tessera.server.auth;

import io.tessera.server.http.ApiException;
import io.tessera.server.http.ApiRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Works out who a request acts for, as CARTO does: the user from {@code /user/NAME/…} first, else the
 * first label of the Host; the key from HTTP Basic auth, then {@code api_key}/{@code map_key} in the
 * query, then in the form or JSON body; no key means {@code default_public}. Each API supplies its own
 * error shapes through {@link Errors}.
 */
public final class RequestAuth {
    private static final Pattern HOST_USER = Pattern.compile("^([^.:]+)\\.");

    /** How an API words the auth failures (SQL API: {@code {"error":[…]}}; platform APIs: their own). */
    public interface Errors {
        ApiException noUserInHost(String host);

        ApiException unknownUser(String username);

        ApiException unauthorized();

        ApiException basicAuthUserMismatch();
    }

    private final Accounts accounts;

    public RequestAuth(Accounts accounts) {
        this.accounts = accounts;
    }

    public String username(ApiRequest req, Errors errors) {
        Optional<String> fromPath = req.pathUser();
        if (fromPath.isPresent()) {
            return fromPath.get();
        }
        String host = req.host();
        Matcher m = HOST_USER.matcher(host);
        if (!m.find()) {
            throw errors.noUserInHost(host.replaceFirst(":\\d+$", ""));
        }
        return m.group(1);
    }

    public User user(ApiRequest req, Errors errors) {
        return user(req, errors, false);
    }

    private User user(ApiRequest req, Errors errors, boolean fromDatabase) {
        String name = username(req, errors);
        return accounts.findUser(name, fromDatabase).orElseThrow(() -> errors.unknownUser(name));
    }

    /** Resolves user and key; {@code bodyKey} reads the key from the body the way the API parses bodies. */
    public Caller resolve(ApiRequest req, Errors errors, Function<String, Optional<String>> bodyKey) {
        return resolve(req, errors, bodyKey, false);
    }

    /**
     * As {@link #resolve(ApiRequest, Errors, Function)}; {@code fromDatabase} reads user and key rows now instead
     * of trusting the caches (for a request that could not wait for a change-feed round).
     */
    public Caller resolve(ApiRequest req, Errors errors, Function<String, Optional<String>> bodyKey, boolean fromDatabase) {
        User user = user(req, errors, fromDatabase);
        String token = basicAuthToken(req, user, errors)
                .or(() -> req.queryParam("api_key"))
                .or(() -> req.queryParam("map_key"))
                .or(() -> bodyKey.apply("api_key"))
                .or(() -> bodyKey.apply("map_key"))
                .filter(t -> !t.isEmpty())
                .orElse(ApiKey.DEFAULT_PUBLIC);
        ApiKey key = accounts.findKey(user, token, fromDatabase).orElseThrow(errors::unauthorized);
        return new Caller(user, key);
    }

    private static Optional<String> basicAuthToken(ApiRequest req, User user, Errors errors) {
        Optional<String> h = req.header("Authorization");
        if (h.isEmpty() || !h.get().regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(h.get().substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw errors.unauthorized();
        }
        int colon = decoded.indexOf(':');
        String name = colon < 0 ? decoded : decoded.substring(0, colon);
        if (!name.equals(user.username())) {
            throw errors.basicAuthUserMismatch();
        }
        return Optional.of(colon < 0 ? "" : decoded.substring(colon + 1));
    }
}
