package io.tessera.bench.p5;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A closed-loop HTTP load: {@code concurrency} virtual threads each request a URL picked uniformly at random
 * (as the pgbench peer picks its tiles) for a fixed time; counts answers by status, body bytes and the JVM's CPU
 * time.
 */
final class TileLoad {
    record Result(double perSecond, long requests, long bad, double jvmCpuMsPerRequest, double megabytesPerSecond) {
    }

    private TileLoad() {
    }

    static Result run(List<String> urls, int concurrency, Duration duration) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        AtomicLong ok = new AtomicLong();
        AtomicLong bad = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        long end = System.nanoTime() + duration.toNanos();
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < concurrency; t++) {
            long seed = 42 + t;
            threads.add(Thread.ofVirtual().start(() -> {
                java.util.Random random = new java.util.Random(seed);
                while (System.nanoTime() < end) {
                    String url = urls.get(random.nextInt(urls.size()));
                    try {
                        // every byte is read, none is gathered into one array: the load generator shares the CPUs
                        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                                HttpResponse.BodyHandlers.ofByteArrayConsumer(b -> b.ifPresent(c -> bytes.addAndGet(c.length))));
                        (r.statusCode() == 200 || r.statusCode() == 204 ? ok : bad).incrementAndGet();
                    } catch (Exception e) {
                        bad.incrementAndGet();
                    }
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        long n = ok.get();
        return new Result(n / seconds, n, bad.get(), (os.getProcessCpuTime() - cpu0) / 1e6 / Math.max(1, n),
                bytes.get() / 1e6 / seconds);
    }
}
