package io.tessera.client.auth;

import io.tessera.client.http.ApiRequest;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * How the SDK reaches a CARTO-style server: a base URL (ending in {@code /}) that request paths are resolved
 * against, the user it names, and the credentials the implementation adds to every request (in the query string,
 * a JSON body or a header, its choice). The Java form of carto-python's auth clients.
 */
public interface AuthClient {

    /** The base URL, always ending in {@code /}, e.g. {@code https://org.example.com/user/alice/}. */
    String baseUrl();

    /** The user name the base URL names. */
    String username();

    /** The HTTP request {@link #send} would make for {@code request}, credentials included; nothing is sent. */
    HttpRequest buildRequest(ApiRequest request);

    /**
     * Sends {@code request} with credentials and returns the answer whatever its status (use
     * {@link io.tessera.client.http.Responses} to turn error statuses into exceptions).
     *
     * @throws io.tessera.client.CartoException when the server cannot be reached or the exchange fails
     */
    <T> HttpResponse<T> send(ApiRequest request, HttpResponse.BodyHandler<T> handler);

    /** {@link #send(ApiRequest, HttpResponse.BodyHandler)} with the body as a stream the caller must close. */
    default HttpResponse<InputStream> send(ApiRequest request) {
        return send(request, HttpResponse.BodyHandlers.ofInputStream());
    }
}
