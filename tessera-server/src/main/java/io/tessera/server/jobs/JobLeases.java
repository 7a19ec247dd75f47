package io.tessera.server.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiFunction;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker side of {@code tessera.jobs} (decisions: security 8): claim in one short transaction with
 * {@code FOR UPDATE SKIP LOCKED}, renew leases, record the job's backend, and end the job with an update
 * fenced by the lease owner, so a node that lost its lease can never overwrite the outcome.
 */
final class JobLeases {
    private static final Logger LOG = LoggerFactory.getLogger(JobLeases.class);
    private static final String UNIQUE_VIOLATION = "23505";

    private final DataSource admin;
    private final Duration lease;

    JobLeases(DataSource admin, Duration lease) {
        this.admin = admin;
        this.lease = lease;
    }

    /**
     * Claims the oldest pending job of the given kinds whose lane has nothing running and nothing older
     * pending. The unique index on running lanes settles a race between nodes: the loser gets nothing.
     */
    Optional<Job> claim(Collection<String> kinds, String owner) throws SQLException {
        String sql = "UPDATE tessera.jobs j SET status = 'running', lease_owner = ?, "
                + "lease_until = clock_timestamp() + make_interval(secs => ?), started_at = clock_timestamp(), "
                + "updated_at = clock_timestamp() WHERE j.id = ("
                + "  SELECT p.id FROM tessera.jobs p WHERE p.status = 'pending' AND p.kind = ANY (?)"
                + "   AND NOT EXISTS (SELECT 1 FROM tessera.jobs r WHERE r.lane = p.lane AND r.status = 'running')"
                + "   AND NOT EXISTS (SELECT 1 FROM tessera.jobs o WHERE o.lane = p.lane AND o.status = 'pending' AND o.seq < p.seq)"
                + "   ORDER BY p.seq LIMIT 1 FOR UPDATE SKIP LOCKED) "
                + "AND j.status = 'pending' RETURNING " + JobRows.COLUMNS;
        try (Connection c = admin.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, owner);
            ps.setDouble(2, seconds());
            ps.setArray(3, c.createArrayOf("text", kinds.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(JobRows.read(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                return Optional.empty(); // another node started a job of that lane at the same moment
            }
            throw e;
        }
    }

    /**
     * Renews the leases this node holds (job id → lease owner); returns, for each job still held, whether
     * a cancel was requested. A job missing from the answer has lost its lease.
     */
    Map<UUID, Boolean> renew(Map<UUID, String> held) throws SQLException {
        Map<UUID, Boolean> out = new HashMap<>();
        if (held.isEmpty()) {
            return out;
        }
        List<UUID> ids = new ArrayList<>(held.keySet());
        try (Connection c = admin.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE tessera.jobs j SET lease_until = clock_timestamp() "
                     + "+ make_interval(secs => ?) FROM unnest(?::uuid[], ?::text[]) AS h(id, owner) "
                     + "WHERE j.id = h.id AND j.lease_owner = h.owner AND j.status = 'running' RETURNING j.id, j.cancel_requested")) {
            ps.setDouble(1, seconds());
            ps.setArray(2, c.createArrayOf("uuid", ids.toArray()));
            Array owners = c.createArrayOf("text", ids.stream().map(held::get).toArray());
            ps.setArray(3, owners);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getObject(1, UUID.class), rs.getBoolean(2));
                }
            }
        }
        return out;
    }

    /** Records the backend (pid, with its start time from pg_stat_activity) that runs the job's SQL now. */
    void attachBackend(UUID id, String owner, int pid) throws SQLException {
        try (Connection c = admin.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE tessera.jobs SET backend_pid = ?, backend_start = "
                     + "(SELECT backend_start FROM pg_stat_activity WHERE pid = ?) WHERE id = ? AND lease_owner = ? AND status = 'running'")) {
            ps.setInt(1, pid);
            ps.setInt(2, pid);
            ps.setObject(3, id);
            ps.setString(4, owner);
            ps.executeUpdate();
        }
    }

    boolean cancelRequested(UUID id) throws SQLException {
        try (Connection c = admin.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT cancel_requested FROM tessera.jobs WHERE id = ?")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    /** Saves progress; false when the lease is no longer ours. */
    boolean saveState(UUID id, String owner, JsonNode state) throws SQLException {
        try (Connection c = admin.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE tessera.jobs SET state = ?::jsonb, updated_at = clock_timestamp() "
                     + "WHERE id = ? AND lease_owner = ? AND status = 'running'")) {
            ps.setString(1, JobRows.text(state));
            ps.setObject(2, id);
            ps.setString(3, owner);
            return ps.executeUpdate() == 1;
        }
    }

    /** The fenced final update; a requested cancel wins over the run's own outcome. False if the lease was lost. */
    boolean finish(UUID id, String owner, JobResult result) throws SQLException {
        try (Connection c = admin.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE tessera.jobs SET "
                     + "status = CASE WHEN cancel_requested THEN 'cancelled' ELSE ? END, "
                     + "failed_reason = CASE WHEN cancel_requested THEN NULL ELSE ? END, "
                     + "state = ?::jsonb, ended_at = clock_timestamp(), updated_at = clock_timestamp(), "
                     + "lease_until = NULL, backend_pid = NULL, backend_start = NULL "
                     + "WHERE id = ? AND lease_owner = ? AND status = 'running'")) {
            ps.setString(1, result.status().wire());
            ps.setString(2, result.failedReason());
            ps.setString(3, JobRows.text(result.state()));
            ps.setObject(4, id);
            ps.setString(5, owner);
            return ps.executeUpdate() == 1;
        }
    }

    /**
     * Fails running jobs of these kinds whose lease lapsed (their node died or stalled): first terminates
     * the recorded backend and waits until it is gone, so the job's SQL is surely over, then marks the job
     * failed (or cancelled, when that was asked). Never puts a started job back to pending.
     *
     * @param abandoned the state to store for a job, given the reason
     */
    int reapLapsed(Collection<String> kinds, String reason, BiFunction<Job, String, JsonNode> abandoned)
            throws SQLException, InterruptedException {
        int reaped = 0;
        try (Connection c = admin.getConnection()) {
            c.setAutoCommit(false);
            try {
                List<Job> lapsed = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("SELECT " + JobRows.COLUMNS + " FROM tessera.jobs "
                        + "WHERE status = 'running' AND kind = ANY (?) AND lease_until < clock_timestamp() FOR UPDATE SKIP LOCKED")) {
                    ps.setArray(1, c.createArrayOf("text", kinds.toArray()));
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            lapsed.add(JobRows.read(rs));
                        }
                    }
                }
                for (Job job : lapsed) {
                    if (!Backends.terminate(c, job.id(), 5_000)) {
                        LOG.warn("job {}: its backend did not stop yet; retrying later", job.id());
                        continue;
                    }
                    endAbandoned(c, job, reason, abandoned.apply(job, reason));
                    reaped++;
                    LOG.warn("job {} ({}) failed: {}", job.id(), job.kind(), reason);
                }
                c.commit();
            } catch (SQLException | InterruptedException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
        return reaped;
    }

    /** Ends a job this node is giving up (server stopping), fenced by its lease owner. */
    boolean abandon(Job job, String owner, String reason, JsonNode state) throws SQLException {
        try (Connection c = admin.getConnection()) {
            return endAbandoned(c, job, reason, state, owner);
        }
    }

    private static void endAbandoned(Connection c, Job job, String reason, JsonNode state) throws SQLException {
        endAbandoned(c, job, reason, state, null);
    }

    private static boolean endAbandoned(Connection c, Job job, String reason, JsonNode state, String owner) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE tessera.jobs SET "
                + "status = CASE WHEN cancel_requested THEN 'cancelled' ELSE 'failed' END, "
                + "failed_reason = CASE WHEN cancel_requested THEN NULL ELSE ? END, state = ?::jsonb, "
                + "ended_at = clock_timestamp(), updated_at = clock_timestamp(), lease_until = NULL, "
                + "backend_pid = NULL, backend_start = NULL WHERE id = ? AND status = 'running'"
                + (owner == null ? "" : " AND lease_owner = ?"))) {
            ps.setString(1, reason);
            ps.setString(2, JobRows.text(state));
            ps.setObject(3, job.id());
            if (owner != null) {
                ps.setString(4, owner);
            }
            return ps.executeUpdate() == 1;
        }
    }

    private double seconds() {
        return lease.toMillis() / 1000.0;
    }
}
