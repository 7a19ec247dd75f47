package io.tessera.server.imports;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Set;

/**
 * Which URLs an import may fetch (security decision 12): {@code http}/{@code https} on the configured
 * ports, and only addresses that are not loopback, private, link-local, CGNAT, ULA, multicast, unspecified
 * or an IPv4-mapped/compatible form of those — unless the exact {@code host:port} is allow-listed (tests,
 * intranet sources). The resolver is pluggable, so a DNS-rebinding resolver can be tested: the address
 * checked is the address connected to.
 */
public final class UrlGuard {
    /** Resolves a host name (the JDK's resolver by default). */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /** A URL refused before any byte was sent. */
    public static final class Refused extends Exception {
        private final int code;

        Refused(int code, String message) {
            super(message, null, false, false);
            this.code = code;
        }

        public int code() {
            return code;
        }
    }

    /** A checked target: connect to {@code address}, speak to {@code host} (SNI, Host header). */
    public record Target(URI uri, String host, int port, boolean tls, InetAddress address) {
    }

    private final Set<String> allow;
    private final Set<Integer> ports;
    private final Resolver resolver;

    public UrlGuard(Set<String> allow, Set<Integer> ports, Resolver resolver) {
        this.allow = allow;
        this.ports = ports;
        this.resolver = resolver;
    }

    public static UrlGuard of(ImportSettings s) {
        return new UrlGuard(s.urlAllow(), s.urlPorts(), InetAddress::getAllByName);
    }

    /** Checks scheme, port and every address the name resolves to; returns the first address to use. */
    public Target check(String url) throws Refused {
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (java.net.URISyntaxException e) {
            throw new Refused(ImportErrorCodes.FORBIDDEN_URL, "not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new Refused(ImportErrorCodes.FORBIDDEN_URL, "only http and https URLs are imported");
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty() || uri.getRawUserInfo() != null) {
            throw new Refused(ImportErrorCodes.FORBIDDEN_URL, "the URL has no host, or carries credentials");
        }
        boolean tls = scheme.equals("https");
        int port = uri.getPort() < 0 ? (tls ? 443 : 80) : uri.getPort();
        String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        boolean allowed = allow.contains((bare + ":" + port).toLowerCase(Locale.ROOT))
                || allow.contains(("[" + bare + "]:" + port).toLowerCase(Locale.ROOT));
        if (!allowed && !ports.contains(port)) {
            throw new Refused(ImportErrorCodes.FORBIDDEN_URL, "port " + port + " is not allowed");
        }
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(bare);
        } catch (UnknownHostException e) {
            throw new Refused(ImportErrorCodes.UNKNOWN_SERVER, "unknown host " + bare);
        }
        if (addresses == null || addresses.length == 0) {
            throw new Refused(ImportErrorCodes.UNKNOWN_SERVER, "unknown host " + bare);
        }
        if (!allowed) {
            for (InetAddress a : addresses) {
                if (internal(a)) {
                    throw new Refused(ImportErrorCodes.FORBIDDEN_URL, "the host resolves to an internal address");
                }
            }
        }
        return new Target(uri, bare, port, tls, addresses[0]);
    }

    /** Loopback, private, link-local, CGNAT, ULA, multicast, unspecified, and v4-mapped forms of them. */
    static boolean internal(InetAddress a) {
        byte[] b = a.getAddress();
        if (a instanceof Inet6Address) {
            boolean mappedOrCompat = true;
            for (int i = 0; i < 10; i++) {
                mappedOrCompat &= b[i] == 0;
            }
            boolean mapped = mappedOrCompat && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
            boolean compat = mappedOrCompat && b[10] == 0 && b[11] == 0;
            if (mapped || compat && !a.isLoopbackAddress() && !a.isAnyLocalAddress()) {
                try {
                    return internal(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
                } catch (UnknownHostException e) {
                    return true;
                }
            }
            int first = b[0] & 0xff;
            return a.isLoopbackAddress() || a.isAnyLocalAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()
                    || a.isMulticastAddress() || (first & 0xfe) == 0xfc   // fc00::/7 ULA
                    || (first == 0x20 && (b[1] & 0xff) == 0x01 && (b[2] & 0xff) == 0x0d && (b[3] & 0xff) == 0xb8) // 2001:db8::/32
                    || first == 0x00;
        }
        if (a instanceof Inet4Address) {
            int o0 = b[0] & 0xff;
            int o1 = b[1] & 0xff;
            return o0 == 0 || o0 == 10 || o0 == 127 || (o0 == 169 && o1 == 254) || (o0 == 172 && (o1 & 0xf0) == 16)
                    || (o0 == 192 && o1 == 168) || (o0 == 100 && (o1 & 0xc0) == 64) || o0 >= 224
                    || (o0 == 192 && o1 == 0 && (b[2] & 0xff) == 0) || (o0 == 198 && (o1 & 0xfe) == 18);
        }
        return true;
    }
}
