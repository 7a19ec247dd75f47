package io.tessera.client.auth;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tessera.client.SdkVersion;
import io.tessera.client.http.ApiRequest;
import io.tessera.client.http.Param;
import io.tessera.client.http.RequestBody;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Authenticates with an API key, as carto-python's {@code APIKeyAuthClient}: {@code api_key} and {@code client} go
 * into the JSON body of a POST or PUT that has one, and into the query string of every other request (form and
 * multipart POSTs included). The key never appears in {@link #toString()} or in exception messages.
 */
public class ApiKeyAuthClient extends BaseAuthClient {

    private static final System.Logger LOG = System.getLogger(ApiKeyAuthClient.class.getName());

    private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();

    private final String apiKey;
    private final String organization;

    /** A client for {@code baseUrl} with {@code apiKey}. */
    public ApiKeyAuthClient(String baseUrl, String apiKey) {
        this(baseUrl, apiKey, null, null);
    }

    /** A client for a user of {@code organization} (only the users API reads it). */
    public ApiKeyAuthClient(String baseUrl, String apiKey, String organization) {
        this(baseUrl, apiKey, organization, null);
    }

    /**
     * A client sending through {@code http} (proxies, custom TLS), the counterpart of carto-python's
     * {@code session}.
     *
     * @param http the HTTP client, or null for the SDK's shared one
     */
    public ApiKeyAuthClient(String baseUrl, String apiKey, String organization, HttpClient http) {
        super(baseUrl, BaseUrls.username(baseUrl), http);
        this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
        this.organization = organization;
        warnIfUnencrypted(BaseUrls.normalize(baseUrl));
    }

    private static void warnIfUnencrypted(String url) {
        // carto-python warns the same way (once per call site; here once per base URL): the key travels in clear
        // text. Loopback is exempt: nothing on the network can read it there, and local servers are the norm.
        if (!url.startsWith("https") && !isLoopback(url) && WARNED.add(url)) {
            LOG.log(System.Logger.Level.WARNING, "You are using unencrypted API key authentication ({0})", url);
        }
    }

    private static boolean isLoopback(String url) {
        String host = URI.create(url).getHost();
        return host != null && (host.equals("localhost") || host.endsWith(".localhost") || host.startsWith("127.")
                || host.equals("[::1]"));
    }

    /** The API key sent with every request. */
    public String apiKey() {
        return apiKey;
    }

    /** The organization given at construction, if any. */
    public Optional<String> organization() {
        return Optional.ofNullable(organization);
    }

    @Override
    protected ApiRequest authorize(ApiRequest request) {
        boolean bodyMethod = request.method().equals("POST") || request.method().equals("PUT");
        if (bodyMethod && request.body() instanceof RequestBody.Json json && json.json() instanceof ObjectNode o) {
            // A copy: carto-python updates the caller's dict in place, a surprise not worth keeping.
            ObjectNode withKey = o.deepCopy();
            withKey.put("api_key", apiKey);
            withKey.put("client", SdkVersion.clientId());
            return request.withBody(new RequestBody.Json(withKey));
        }
        // As requests' params.update(): a caller's own api_key/client are replaced, not duplicated.
        return request.withoutQuery("api_key").withoutQuery("client")
                .withQuery(List.of(new Param("api_key", apiKey), new Param("client", SdkVersion.clientId())));
    }

    @Override
    protected String redact(String text) {
        return apiKey.isEmpty() ? text : text.replace(apiKey, "***");
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[baseUrl=" + baseUrl() + ", username=" + username()
                + (organization == null ? "" : ", organization=" + organization) + ", apiKey=***]";
    }
}
