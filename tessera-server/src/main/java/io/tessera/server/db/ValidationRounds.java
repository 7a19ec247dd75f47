package io.tessera.server.db;

import io.tessera.server.db.ChangeFeed.Round;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Who is waiting for a validation round of the {@link ChangeFeed}, and the hand-over to the feed's thread, which
 * runs the rounds on its listening connection. A request waits for the first round that starts after it asked: the
 * feed's thread takes the pending future before it sends the round's query, and a request that asks later gets the
 * next one. One round answers everybody who was waiting for it, and the next starts as soon as it ends if anyone
 * waits, so throughput is not bounded by the round trip.
 */
final class ValidationRounds {
    /**
     * A round: notify this node's own round channel and, in the same statement (one snapshot, taken after every
     * waiting request arrived), read the role-state fingerprint and whether the DDL event triggers are there.
     */
    static final String SQL = "SELECT pg_catalog.pg_notify(?, ?), cartodb._tessera_role_state(), "
            + "(SELECT count(*) = 2 FROM pg_catalog.pg_event_trigger "
            + "WHERE evtname IN ('tessera_ddl_end', 'tessera_ddl_drop') AND evtenabled <> 'D')";

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition asked = lock.newCondition();
    private boolean requested;
    private CompletableFuture<Round> next = new CompletableFuture<>();

    /** For a request: waits for a round that starts after this call; null if none completes within the bound. */
    Round await(long boundMillis) {
        CompletableFuture<Round> f;
        lock.lock();
        try {
            requested = true;
            f = next;
            asked.signal();
        } finally {
            lock.unlock();
        }
        try {
            return f.get(boundMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /**
     * For the feed's thread: the future of the round to run now (complete it with the round, or null if it failed),
     * or null if nobody asked within {@code waitMillis}. Taken BEFORE the round's query is sent. When someone asked,
     * it is not taken before {@code notBeforeNanos} (a {@link System#nanoTime} value): under load, requests that
     * arrive meanwhile join the same round instead of each costing the database a commit of its own.
     */
    CompletableFuture<Round> take(long waitMillis, long notBeforeNanos) throws InterruptedException {
        lock.lock();
        try {
            long nanos = TimeUnit.MILLISECONDS.toNanos(waitMillis);
            while (!requested && nanos > 0) {
                nanos = asked.awaitNanos(nanos);
            }
            if (!requested) {
                return null;
            }
            for (long left = notBeforeNanos - System.nanoTime(); left > 0; left = notBeforeNanos - System.nanoTime()) {
                asked.awaitNanos(left);
            }
            requested = false;
            CompletableFuture<Round> f = next;
            next = new CompletableFuture<>();
            return f;
        } finally {
            lock.unlock();
        }
    }

    /** The feed is not listening: whoever waits takes the database path now. */
    void failPending() {
        lock.lock();
        try {
            requested = false;
            next.complete(null);
            next = new CompletableFuture<>();
        } finally {
            lock.unlock();
        }
    }
}
