package io.tessera.it;

import io.tessera.client.auth.ApiKeyAuthClient;
import io.tessera.client.auth.NoAuthClient;
import io.tessera.client.sql.SqlClient;
import io.tessera.server.TesseraServer;
import io.tessera.server.auth.Accounts;
import io.tessera.server.testing.TestPostgis;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The shared end-to-end harness: one real Tessera server on port 0 over the JVM's shared PostGIS
 * fixture, plus helpers to make users and SDK clients for them.
 */
public final class TesseraHarness {
    private static TesseraServer server;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private TesseraHarness() {
    }

    public static synchronized TesseraServer server() {
        if (server == null) {
            server = TesseraServer.startOn(TestPostgis.config(), TestPostgis.platform());
            Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        }
        return server;
    }

    public static String baseUrl(String username) {
        return "http://127.0.0.1:" + server().port() + "/user/" + username + "/";
    }

    public static Accounts.Created newUser(String prefix) {
        server();
        return TestPostgis.newUser(prefix);
    }

    public static Accounts.Created newUser(String prefix, int sqlTimeoutMs) {
        server();
        return TestPostgis.newUser(prefix, sqlTimeoutMs);
    }

    public static SqlClient sql(Accounts.Created user, String key) {
        return new SqlClient(new ApiKeyAuthClient(baseUrl(user.user().username()), key));
    }

    public static SqlClient master(Accounts.Created user) {
        return sql(user, user.masterKey());
    }

    public static SqlClient anonymous(Accounts.Created user) {
        return new SqlClient(new NoAuthClient(baseUrl(user.user().username())));
    }

    /** A raw GET against the server, for checks of exact bytes and headers. */
    public static HttpResponse<String> get(String pathAndQuery, String host) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server().port() + pathAndQuery))
                .timeout(Duration.ofSeconds(60));
        if (host != null) {
            b.header("Host", host);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    public static HttpResponse<String> send(HttpRequest request) throws Exception {
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    public static HttpResponse<byte[]> sendBytes(HttpRequest request) throws Exception {
        return HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    public static String url(String pathAndQuery) {
        return "http://127.0.0.1:" + server().port() + pathAndQuery;
    }
}
