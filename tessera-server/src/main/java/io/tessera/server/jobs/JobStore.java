package io.tessera.server.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What request handlers do with jobs: submit, read, list, change a pending job's input, cancel. Runs on
 * the admin connection (schema {@code tessera} is closed to user roles); handlers check that the job
 * belongs to the caller. Every change is one short transaction, so any node may serve any request.
 */
public final class JobStore {
    private static final Logger LOG = LoggerFactory.getLogger(JobStore.class);

    /**
     * A job to submit.
     *
     * @param maxPending refuse with {@link JobException.QueueFull} when the lane already has this many
     *                   pending jobs (0 = no limit)
     */
    public record NewJob(String kind, UUID userId, String lane, String dbRole, JsonNode payload, JsonNode state,
                         int maxPending) {
    }

    private final DataSource admin;

    public JobStore(DataSource admin) {
        this.admin = admin;
    }

    /** How many jobs of {@code kind} the user has that have not finished (pending or running). */
    public long unfinished(String kind, UUID userId) throws SQLException {
        try (Connection c = admin.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT count(*) FROM tessera.jobs WHERE kind = ? AND user_id = ? AND status IN ('pending', 'running')")) {
            ps.setString(1, kind);
            ps.setObject(2, userId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Inserts a pending job; workers of its kind pick it up in lane order. */
    public Job submit(NewJob n) throws SQLException, JobException.QueueFull {
        try (Connection c = admin.getConnection()) {
            c.setAutoCommit(false);
            try {
                if (n.maxPending() > 0) {
                    // Serialises submissions to one lane, so the count and the insert agree across nodes.
                    try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
                        ps.setString(1, "tessera.jobs:" + n.lane());
                        ps.execute();
                    }
                    try (PreparedStatement ps = c.prepareStatement(
                            "SELECT count(*) FROM tessera.jobs WHERE lane = ? AND status = 'pending'")) {
                        ps.setString(1, n.lane());
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            if (rs.getLong(1) >= n.maxPending()) {
                                throw new JobException.QueueFull(n.maxPending());
                            }
                        }
                    }
                }
                Job job = insert(c, n);
                c.commit();
                return job;
            } catch (SQLException | JobException.QueueFull | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /**
     * Inserts a pending job on the caller's transaction (no pending-queue limit), so a job is submitted
     * together with the caller's own rows (a sync marked queued) or not at all.
     */
    public static Job insert(Connection c, NewJob n) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO tessera.jobs "
                + "(id, kind, user_id, lane, db_role, status, payload, state) "
                + "VALUES (?, ?, ?, ?, ?, 'pending', ?::jsonb, ?::jsonb) RETURNING " + JobRows.COLUMNS)) {
            ps.setObject(1, UUID.randomUUID());
            ps.setString(2, n.kind());
            ps.setObject(3, n.userId());
            ps.setString(4, n.lane());
            ps.setString(5, n.dbRole());
            ps.setString(6, JobRows.text(n.payload()));
            ps.setString(7, JobRows.text(n.state()));
            return single(ps).orElseThrow();
        }
    }

    public Optional<Job> find(UUID id) throws SQLException {
        try (Connection c = admin.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT " + JobRows.COLUMNS + " FROM tessera.jobs WHERE id = ?")) {
            ps.setObject(1, id);
            return single(ps);
        }
    }

    /** The user's jobs of one kind, newest first. */
    public List<Job> list(UUID userId, String kind, int limit) throws SQLException {
        try (Connection c = admin.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT " + JobRows.COLUMNS + " FROM tessera.jobs "
                     + "WHERE user_id = ? AND kind = ? ORDER BY created_at DESC, seq DESC LIMIT ?")) {
            ps.setObject(1, userId);
            ps.setString(2, kind);
            ps.setInt(3, limit);
            List<Job> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(JobRows.read(rs));
                }
            }
            return out;
        }
    }

    /** Replaces the input of a job that has not started yet. */
    public Job updatePending(UUID id, JsonNode payload, JsonNode state) throws SQLException, JobException {
        try (Connection c = admin.getConnection()) {
            c.setAutoCommit(false);
            try {
                Job job = lock(c, id);
                if (job.status() != JobStatus.PENDING) {
                    throw new JobException.IllegalTransition(shownStatus(job), JobStatus.PENDING);
                }
                try (PreparedStatement ps = c.prepareStatement("UPDATE tessera.jobs SET payload = ?::jsonb, "
                        + "state = ?::jsonb, updated_at = clock_timestamp() WHERE id = ? RETURNING " + JobRows.COLUMNS)) {
                    ps.setString(1, JobRows.text(payload));
                    ps.setString(2, JobRows.text(state));
                    ps.setObject(3, id);
                    job = single(ps).orElseThrow();
                }
                c.commit();
                return job;
            } catch (SQLException | JobException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /**
     * Cancels a job: a pending one ends {@code cancelled} at once and never runs; a running one is flagged
     * and its statement cancelled ({@code pg_cancel_backend} on its recorded backend, from whichever node
     * serves this request); its worker then ends it {@code cancelled}.
     */
    public Job cancel(UUID id) throws SQLException, JobException {
        Job job;
        Integer pid = null;
        try (Connection c = admin.getConnection()) {
            c.setAutoCommit(false);
            try {
                job = lock(c, id);
                if (job.status().isFinal() || job.cancelRequested()) {
                    throw new JobException.IllegalTransition(shownStatus(job), JobStatus.CANCELLED);
                }
                String set = job.status() == JobStatus.PENDING
                        ? "status = 'cancelled', ended_at = clock_timestamp()"
                        : "cancel_requested = true";
                try (PreparedStatement ps = c.prepareStatement("UPDATE tessera.jobs SET " + set
                        + ", updated_at = clock_timestamp() WHERE id = ? RETURNING " + JobRows.COLUMNS + ", backend_pid")) {
                    ps.setObject(1, id);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        job = JobRows.read(rs);
                        pid = (Integer) rs.getObject("backend_pid");
                    }
                }
                c.commit();
            } catch (SQLException | JobException | RuntimeException e) {
                c.rollback();
                throw e;
            }
            if (pid != null) {
                c.setAutoCommit(true);
                Backends.cancel(c, id);
            }
        }
        return job;
    }

    /** Deletes finished jobs of a kind older than its retention. */
    int purge(String kind, java.time.Duration retention) throws SQLException {
        try (Connection c = admin.getConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM tessera.jobs WHERE kind = ? "
                     + "AND status IN ('done', 'failed', 'cancelled') AND ended_at < clock_timestamp() - make_interval(secs => ?)")) {
            ps.setString(1, kind);
            ps.setDouble(2, retention.toMillis() / 1000.0);
            int n = ps.executeUpdate();
            if (n > 0) {
                LOG.debug("purged {} finished {} jobs", n, kind);
            }
            return n;
        }
    }

    /** The status a client is shown: a running job with a cancel requested is already cancelled to them. */
    public static JobStatus shownStatus(Job job) {
        return job.status() == JobStatus.RUNNING && job.cancelRequested() ? JobStatus.CANCELLED : job.status();
    }

    private static Job lock(Connection c, UUID id) throws SQLException, JobException.NotFound {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + JobRows.COLUMNS + " FROM tessera.jobs WHERE id = ? FOR UPDATE")) {
            ps.setObject(1, id);
            return single(ps).orElseThrow(() -> new JobException.NotFound(id));
        }
    }

    private static Optional<Job> single(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(JobRows.read(rs)) : Optional.empty();
        }
    }
}
