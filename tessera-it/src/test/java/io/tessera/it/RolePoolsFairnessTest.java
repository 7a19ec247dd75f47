package io.tessera.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.server.auth.Accounts;
import io.tessera.server.db.RoleConnection;
import io.tessera.server.db.RolePools;
import io.tessera.server.testing.TestPostgis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * A role's connections go to waiting requests in the order they arrived. The pool alone let a request that
 * arrived just as a connection came back take it ahead of the ones already waiting; under load a few requests
 * lost that race many times in a row, which was most of P1's p99.
 */
class RolePoolsFairnessTest {
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    @Test
    void aReturnedConnectionGoesToTheRequestThatWaitedLongestNotToANewcomer() throws Exception {
        Accounts.Created user = TesseraHarness.newUser("fair"); // the server shares the test platform
        RolePools pools = TestPostgis.platform().pools();
        String role = user.user().ownerRole();
        int size = TestPostgis.config().poolPerRole();
        List<RoleConnection> held = new ArrayList<>();
        try {
            for (int i = 0; i < size; i++) {
                held.add(pools.connect(role));
            }
            CompletableFuture<RoleConnection> first = CompletableFuture.supplyAsync(() -> connect(pools, role));
            await(() -> pools.waiting(role) == 1);
            // Hand a connection back and ask for one at once, as a request arriving at that moment would.
            held.remove(0).close();
            CompletableFuture<RoleConnection> newcomer = CompletableFuture.supplyAsync(() -> connect(pools, role));
            held.add(first.get(PATIENCE.toSeconds(), TimeUnit.SECONDS));
            await(() -> pools.waiting(role) == 1);
            assertThat(newcomer).as("the newcomer waits behind the request that was already waiting").isNotDone();

            // A connection closed twice hands back one turn, not two: the newcomer gets it, the next one waits.
            RoleConnection twice = held.remove(0);
            twice.close();
            twice.close();
            held.add(newcomer.get(PATIENCE.toSeconds(), TimeUnit.SECONDS));
            CompletableFuture<RoleConnection> third = CompletableFuture.supplyAsync(() -> connect(pools, role));
            await(() -> pools.waiting(role) == 1);
            assertThat(third).isNotDone();
            held.remove(0).close();
            held.add(third.get(PATIENCE.toSeconds(), TimeUnit.SECONDS));
            assertThat(held).hasSize(size);
        } finally {
            held.forEach(RoleConnection::close);
        }
        assertThat(pools.waiting(role)).isZero();
    }

    private static RoleConnection connect(RolePools pools, String role) {
        try {
            return pools.connect(role);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached within " + PATIENCE);
            }
            Thread.sleep(5);
        }
    }
}
