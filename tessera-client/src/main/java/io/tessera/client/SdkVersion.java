package io.tessera.client;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The SDK's own version and the identifiers derived from it that go on the wire: the {@code User-Agent} header
 * and the {@code client} parameter (carto-python sends {@code carto-python-sdk/X} and {@code cps-X}).
 */
public final class SdkVersion {

    /** The version of this SDK, e.g. {@code 0.1.0}; {@code unknown} when the build metadata is missing. */
    public static final String VERSION = readVersion();

    private SdkVersion() {
    }

    /** The {@code User-Agent} header every request carries. */
    public static String userAgent() {
        return "tessera-java-sdk/" + VERSION;
    }

    /** The value of the {@code client} parameter sent next to {@code api_key}. */
    public static String clientId() {
        return "tessera-java-" + VERSION;
    }

    private static String readVersion() {
        // A filtered resource rather than the jar manifest: it also works when running from target/classes.
        try (InputStream in = SdkVersion.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", "unknown");
            return v.startsWith("${") ? "unknown" : v;
        } catch (IOException e) {
            return "unknown";
        }
    }
}
