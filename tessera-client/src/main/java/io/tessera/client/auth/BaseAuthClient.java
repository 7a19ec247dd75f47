package io.tessera.client.auth;

import io.tessera.client.CartoException;
import io.tessera.client.Json;
import io.tessera.client.SdkVersion;
import io.tessera.client.http.ApiRequest;
import io.tessera.client.http.Param;
import io.tessera.client.http.RequestBody;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;

/**
 * The shared half of every auth client: resolves paths against the base URL, encodes the body, sets
 * {@code User-Agent}, sends with {@link HttpClient} and maps transport failures to {@link CartoException}.
 * Subclasses only decide where credentials go, in {@link #authorize}.
 */
public abstract class BaseAuthClient implements AuthClient {

    private static volatile HttpClient defaultHttpClient;

    private final String baseUrl;
    private final URI baseUri;
    private final String username;
    private final HttpClient http;

    /**
     * @param baseUrl  the base URL; a trailing {@code /} is added when missing
     * @param username the user the base URL names
     * @param http     the HTTP client to send with, or null for the SDK's shared one
     */
    protected BaseAuthClient(String baseUrl, String username, HttpClient http) {
        this.baseUrl = BaseUrls.normalize(baseUrl);
        try {
            this.baseUri = URI.create(this.baseUrl);
        } catch (IllegalArgumentException e) {
            throw new CartoException("not a valid base URL: " + this.baseUrl, e);
        }
        if (baseUri.getScheme() == null || baseUri.getHost() == null) {
            throw new CartoException("not a valid base URL (need http(s)://host/...): " + this.baseUrl);
        }
        this.username = Objects.requireNonNull(username, "username");
        this.http = http != null ? http : sharedHttpClient();
    }

    /** A client builder with the SDK's defaults: HTTP/1.1 as carto-python speaks it, redirects as browsers do. */
    public static HttpClient.Builder httpClientBuilder() {
        // No request timeout (carto-python sets none and results may stream for long); only connecting is bounded.
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(30));
    }

    private static HttpClient sharedHttpClient() {
        HttpClient c = defaultHttpClient;
        if (c == null) {
            synchronized (BaseAuthClient.class) {
                c = defaultHttpClient;
                if (c == null) {
                    c = httpClientBuilder().build();
                    defaultHttpClient = c;
                }
            }
        }
        return c;
    }

    @Override
    public final String baseUrl() {
        return baseUrl;
    }

    @Override
    public final String username() {
        return username;
    }

    /** The request with this client's credentials added; the identity for clients without credentials. */
    protected abstract ApiRequest authorize(ApiRequest request);

    @Override
    public HttpRequest buildRequest(ApiRequest request) {
        ApiRequest r = authorize(request);
        URI target = resolve(r);
        HttpRequest.Builder b = HttpRequest.newBuilder(target)
                .header("User-Agent", SdkVersion.userAgent())
                .header("Accept", "*/*");
        String contentType = null;
        BodyPublisher publisher;
        switch (r.body()) {
            case RequestBody.None none -> publisher = BodyPublishers.noBody();
            case RequestBody.Form form -> {
                contentType = "application/x-www-form-urlencoded";
                publisher = BodyPublishers.ofString(Param.encode(form.params()));
            }
            case RequestBody.Json json -> {
                contentType = "application/json";
                publisher = BodyPublishers.ofByteArray(writeJson(json));
            }
            case RequestBody.Raw raw -> {
                contentType = raw.contentType();
                publisher = raw.publisher().get();
            }
        }
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        r.headers().forEach(b::setHeader);
        return b.method(r.method(), publisher).build();
    }

    @Override
    public <T> HttpResponse<T> send(ApiRequest request, HttpResponse.BodyHandler<T> handler) {
        HttpRequest built = buildRequest(request);
        try {
            return http.send(built, handler);
        } catch (IOException e) {
            // The message names the base URL only: the full URI may carry the api_key.
            throw new CartoException(redact("could not reach " + baseUrl + ": " + describe(e)), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CartoException("interrupted while talking to " + baseUrl, e);
        }
    }

    /** {@code text} with any secret of this client masked; exception messages pass through it. */
    protected String redact(String text) {
        return text;
    }

    private URI resolve(ApiRequest r) {
        URI target;
        try {
            target = baseUri.resolve(r.path());
        } catch (IllegalArgumentException e) {
            throw new CartoException("not a valid request path: " + r.path(), e);
        }
        if (r.query().isEmpty()) {
            return target;
        }
        String s = target.toString();
        return URI.create(s + (target.getRawQuery() == null ? "?" : "&") + Param.encode(r.query()));
    }

    private static byte[] writeJson(RequestBody.Json json) {
        try {
            return Json.mapper().writeValueAsBytes(json.json());
        } catch (IOException e) {
            throw new CartoException("could not encode the JSON body: " + e.getMessage(), e);
        }
    }

    /** The first message in the cause chain: the HttpClient often wraps a bare exception around the real one. */
    private static String describe(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return t.getMessage();
            }
        }
        return e instanceof java.net.ConnectException ? "connection refused" : e.getClass().getSimpleName();
    }
}
