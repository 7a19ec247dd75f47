package io.tessera.server.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polls a condition of background work (jobs, uploads) until it holds, failing after a generous deadline. */
public final class Await {
    private static final Duration DEADLINE = Duration.ofSeconds(120);

    private Await() {
    }

    public static void until(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("never happened within " + DEADLINE + ": " + what);
            }
            Thread.sleep(25);
        }
    }
}
