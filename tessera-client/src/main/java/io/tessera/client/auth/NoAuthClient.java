package io.tessera.client.auth;

import io.tessera.client.CartoException;
import io.tessera.client.http.ApiRequest;
import java.net.http.HttpClient;

/**
 * Sends requests without credentials, as pyrestcli's {@code NoAuthClient}: the server treats them as the public
 * ({@code default_public}) key. Useful for public data and anonymous maps.
 */
public class NoAuthClient extends BaseAuthClient {

    /** A client for {@code baseUrl}. */
    public NoAuthClient(String baseUrl) {
        this(baseUrl, null);
    }

    /** A client for {@code baseUrl} sending through {@code http} (null for the SDK's shared client). */
    public NoAuthClient(String baseUrl, HttpClient http) {
        super(baseUrl, usernameOrEmpty(baseUrl), http);
    }

    /**
     * pyrestcli's client needs no user name, so a base URL without one (e.g. {@code http://localhost:8080/}) is
     * accepted here, with {@link #username()} empty.
     */
    private static String usernameOrEmpty(String baseUrl) {
        try {
            return BaseUrls.username(baseUrl);
        } catch (CartoException e) {
            return "";
        }
    }

    @Override
    protected ApiRequest authorize(ApiRequest request) {
        return request;
    }

    @Override
    public String toString() {
        return "NoAuthClient[baseUrl=" + baseUrl() + "]";
    }
}
