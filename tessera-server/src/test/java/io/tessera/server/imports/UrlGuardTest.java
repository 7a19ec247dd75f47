package io.tessera.server.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SSRF rules of URL imports (security decision 12), with a pluggable resolver and a real loopback server. */
class UrlGuardTest {
    @TempDir
    Path dir;

    @Test
    void internalAddressesAreRecognised() throws Exception {
        for (String a : new String[] {"127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1",
                "0.0.0.0", "224.0.0.1", "::1", "::", "fe80::1", "fc00::1", "fd12::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1",
                "ff02::1"}) {
            assertThat(UrlGuard.internal(InetAddress.getByName(a))).as(a).isTrue();
        }
        for (String a : new String[] {"8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "::ffff:8.8.8.8"}) {
            assertThat(UrlGuard.internal(InetAddress.getByName(a))).as(a).isFalse();
        }
    }

    @Test
    void schemesPortsAndLoopbackAreRefused() {
        UrlGuard g = new UrlGuard(Set.of(), Set.of(80, 443), InetAddress::getAllByName);
        assertThatThrownBy(() -> g.check("ftp://example.com/a.csv")).isInstanceOf(UrlGuard.Refused.class);
        assertThatThrownBy(() -> g.check("file:///etc/passwd")).isInstanceOf(UrlGuard.Refused.class);
        assertThatThrownBy(() -> g.check("http://127.0.0.1/a.csv")).isInstanceOf(UrlGuard.Refused.class);
        assertThatThrownBy(() -> g.check("http://[::ffff:127.0.0.1]/a.csv")).isInstanceOf(UrlGuard.Refused.class);
        assertThatThrownBy(() -> g.check("http://8.8.8.8:8080/a.csv")).isInstanceOf(UrlGuard.Refused.class);
        assertThatThrownBy(() -> g.check("http://user:pw@8.8.8.8/a.csv")).isInstanceOf(UrlGuard.Refused.class);
    }

    @Test
    void dnsRebindingIsRefusedAtTheFetch() throws Exception {
        HttpServer local = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        local.createContext("/", ex -> {
            byte[] b = "a,b\n1,2\n".getBytes(StandardCharsets.US_ASCII);
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        local.start();
        try {
            int port = local.getAddress().getPort();
            // A hostile name server: a public address for the check at the POST, loopback for the fetch.
            AtomicInteger lookups = new AtomicInteger();
            UrlGuard.Resolver rebinding = host -> new InetAddress[] {lookups.getAndIncrement() == 0
                    ? InetAddress.getByName("93.184.216.34") : InetAddress.getByName("127.0.0.1")};
            UrlGuard guard = new UrlGuard(Set.of(), Set.of(port), rebinding);
            String url = "http://rebind.example:" + port + "/data.csv";
            assertThat(guard.check(url).address().getHostAddress()).isEqualTo("93.184.216.34");
            UrlFetcher fetcher = new UrlFetcher(guard, 1 << 20, Duration.ofSeconds(10));
            assertThatThrownBy(() -> fetcher.fetch(url, dir)).isInstanceOfSatisfying(ImportFailure.class,
                    f -> assertThat(f.code()).isEqualTo(ImportErrorCodes.FORBIDDEN_URL));
            try (var files = Files.list(dir)) {
                assertThat(files).isEmpty();
            }
            // The same server, allow-listed by host:port, is fetched from the checked address.
            UrlGuard allowed = new UrlGuard(Set.of("rebind.example:" + port), Set.of(80), h -> new InetAddress[] {
                    InetAddress.getByName("127.0.0.1")});
            UrlFetcher.Fetched f = new UrlFetcher(allowed, 1 << 20, Duration.ofSeconds(10)).fetch(url, dir);
            assertThat(Files.readString(f.file())).isEqualTo("a,b\n1,2\n");
            assertThat(f.name()).isEqualTo("data.csv");
            // Past the size limit the download stops (6666) and nothing is kept by the caller.
            assertThatThrownBy(() -> new UrlFetcher(allowed, 4, Duration.ofSeconds(10)).fetch(url, Files.createTempDirectory(dir, "x")))
                    .isInstanceOfSatisfying(ImportFailure.class, e -> assertThat(e.code()).isEqualTo(ImportErrorCodes.TOO_BIG));
        } finally {
            local.stop(0);
        }
    }
}
