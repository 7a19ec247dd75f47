package io.tessera.client.auth;

import io.tessera.client.CartoException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * An {@link ApiKeyAuthClient} that accepts any TLS certificate and host name, as carto-python's
 * {@code NonVerifiedAPIKeyAuthClient} ({@code verify=False}): for on-premises servers with self-signed
 * certificates. The connection is then open to interception; use it only where that risk is accepted.
 */
public class NonVerifiedApiKeyAuthClient extends ApiKeyAuthClient {

    /** A non-verifying client for {@code baseUrl} with {@code apiKey}. */
    public NonVerifiedApiKeyAuthClient(String baseUrl, String apiKey) {
        this(baseUrl, apiKey, null);
    }

    /** A non-verifying client for a user of {@code organization}. */
    public NonVerifiedApiKeyAuthClient(String baseUrl, String apiKey, String organization) {
        super(baseUrl, apiKey, organization, httpClientBuilder().sslContext(trustAll()).build());
    }

    private static SSLContext trustAll() {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {new TrustAll()}, new SecureRandom());
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new CartoException("could not set up TLS: " + e.getMessage(), e);
        }
    }

    /**
     * An extended trust manager rather than a plain one: JSSE wraps plain ones with its own host-name check, while
     * an extended one decides alone, so accepting here also skips the host-name check (as {@code verify=False}).
     */
    private static final class TrustAll extends X509ExtendedTrustManager {

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
