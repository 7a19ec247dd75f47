package io.tessera.server.jobs;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

/**
 * Signals the PostgreSQL backend recorded for a job, from the admin connection. The pid is matched with
 * its {@code backend_start}, so a pid the operating system reused for another session is never hit.
 */
final class Backends {
    private static final String RECORDED = "SELECT a.pid FROM tessera.jobs j JOIN pg_stat_activity a "
            + "ON a.pid = j.backend_pid AND a.backend_start = j.backend_start WHERE j.id = ?";

    private Backends() {
    }

    /** {@code pg_cancel_backend}: stops the running statement; the session stays. */
    static void cancel(Connection admin, UUID job) throws SQLException {
        signal(admin, job, "pg_cancel_backend");
    }

    /** {@code pg_terminate_backend}, then waits until the backend is gone; false if it still lives. */
    static boolean terminate(Connection admin, UUID job, long waitMs) throws SQLException, InterruptedException {
        signal(admin, job, "pg_terminate_backend");
        long deadline = System.nanoTime() + waitMs * 1_000_000;
        while (alive(admin, job)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }

    static boolean alive(Connection admin, UUID job) throws SQLException {
        // pg_stat_activity is snapshotted once per transaction; the reaper asks again inside one.
        try (PreparedStatement clear = admin.prepareStatement("SELECT pg_stat_clear_snapshot()")) {
            clear.execute();
        }
        try (PreparedStatement ps = admin.prepareStatement(RECORDED)) {
            ps.setObject(1, job);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static void signal(Connection admin, UUID job, String function) throws SQLException {
        try (PreparedStatement ps = admin.prepareStatement("SELECT " + function + "(pid) FROM (" + RECORDED + ") b")) {
            ps.setObject(1, job);
            ps.executeQuery().close();
        }
    }
}
