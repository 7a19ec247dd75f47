package io.tessera.server.sync;

import io.tessera.server.auth.User;
import io.tessera.server.http.Json;
import io.tessera.server.jobs.Job;
import io.tessera.server.jobs.JobStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * {@code tessera.synchronizations} on the admin connection (schema {@code tessera} is closed to user
 * roles; handlers check ownership). Queueing a run marks the row {@code queued} and inserts its job in
 * the same transaction, so a sync is never shown queued without a job, nor run twice at once.
 */
public final class SyncStore {
    /** Syncs one user may have queued or syncing at once (CARTO's UserConcurrentSyncsAmount). */
    static final int MAX_CONCURRENT_PER_USER = 3;
    private static final String COLUMNS = "id, user_id, name, url, interval_s, state, run_at, ran_at, modified_at, "
            + "retried_times, log_id, error_code, error_message, checksum, type_guessing, quoted_fields_guessing, "
            + "content_guessing, visualization_id, queued_at, created_at, updated_at";

    /** What a new sync is made of (POST). */
    public record NewSync(UUID userId, String name, String url, int interval, boolean typeGuessing,
                          boolean quotedFieldsGuessing, boolean contentGuessing) {
    }

    private final DataSource admin;

    public SyncStore(DataSource admin) {
        this.admin = admin;
    }

    public DataSource admin() {
        return admin;
    }

    public Sync create(NewSync n) throws SQLException {
        try (Connection c = admin.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO tessera.synchronizations (id, user_id, name, url, "
                     + "interval_s, type_guessing, quoted_fields_guessing, content_guessing) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                     + "RETURNING " + COLUMNS)) {
            ps.setObject(1, UUID.randomUUID());
            ps.setObject(2, n.userId());
            ps.setString(3, n.name());
            ps.setString(4, n.url());
            ps.setInt(5, n.interval());
            ps.setBoolean(6, n.typeGuessing());
            ps.setBoolean(7, n.quotedFieldsGuessing());
            ps.setBoolean(8, n.contentGuessing());
            return single(ps).orElseThrow();
        }
    }

    public Optional<Sync> find(UUID id) throws SQLException {
        try (Connection c = admin.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM tessera.synchronizations WHERE id = ?")) {
            ps.setObject(1, id);
            return single(ps);
        }
    }

    public List<Sync> list(UUID userId) throws SQLException {
        try (Connection c = admin.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS
                     + " FROM tessera.synchronizations WHERE user_id = ? ORDER BY created_at DESC, id")) {
            ps.setObject(1, userId);
            return all(ps);
        }
    }

    public boolean delete(UUID id) throws SQLException {
        try (Connection c = admin.getConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM tessera.synchronizations WHERE id = ?")) {
            ps.setObject(1, id);
            return ps.executeUpdate() > 0;
        }
    }

    /** Changes the URL and interval (a PUT with a body). */
    public Sync update(UUID id, String url, int interval) throws SQLException {
        try (Connection c = admin.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE tessera.synchronizations SET url = ?, interval_s = ?, "
                     + "updated_at = clock_timestamp() WHERE id = ? RETURNING " + COLUMNS)) {
            ps.setString(1, url);
            ps.setInt(2, interval);
            ps.setObject(3, id);
            return single(ps).orElseThrow();
        }
    }

    /**
     * Queues a run of one sync if {@code allowed} still holds with the row locked and the user is under
     * the concurrency limit; returns the job, or empty when the sync was not queued.
     */
    public Optional<Job> queue(UUID id, User user, java.util.function.Predicate<Sync> allowed) throws SQLException {
        try (Connection c = admin.getConnection()) {
            c.setAutoCommit(false);
            try {
                Optional<Sync> s = lock(c, id);
                Optional<Job> job = Optional.empty();
                if (s.isPresent() && allowed.test(s.get()) && active(c, user.id()) < MAX_CONCURRENT_PER_USER) {
                    job = Optional.of(queueLocked(c, s.get(), user.ownerRole(), user.username()));
                }
                c.commit();
                return job;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** Marks a locked sync queued and inserts its job (same transaction, the caller commits). */
    static Job queueLocked(Connection c, Sync s, String dbRole, String username) throws SQLException {
        Job job = JobStore.insert(c, new JobStore.NewJob(SyncJobKind.NAME, s.userId(), "sync:" + s.id(), dbRole,
                Json.object().put("sync_id", s.id().toString()).put("username", username), Json.object(), 0));
        try (PreparedStatement ps = c.prepareStatement("UPDATE tessera.synchronizations SET state = 'queued', "
                + "queued_at = clock_timestamp(), log_id = ?, updated_at = clock_timestamp() WHERE id = ?")) {
            ps.setObject(1, job.id());
            ps.setObject(2, s.id());
            ps.executeUpdate();
        }
        return job;
    }

    /** Syncs of the user queued or syncing (the concurrency limit counts these). */
    static long active(Connection c, UUID userId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM tessera.synchronizations "
                + "WHERE user_id = ? AND state IN ('queued', 'syncing')")) {
            ps.setObject(1, userId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * A run started; false when the sync was deleted meanwhile. The first run shows {@code queued} until it
     * ends, as CARTO's does (its first load is a data import that sets the sync's state when it finishes):
     * carto-python's {@code DatasetManager.create(url, interval)} polls only while created/queued.
     */
    boolean markSyncing(UUID id) throws SQLException {
        try (Connection c = admin.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE tessera.synchronizations "
                     + "SET state = CASE WHEN ran_at IS NULL THEN 'queued' ELSE 'syncing' END, "
                     + "updated_at = clock_timestamp() WHERE id = ?")) {
            ps.setObject(1, id);
            return ps.executeUpdate() > 0;
        }
    }

    /**
     * A run succeeded: the table (named on the first run), its dataset, the content checksum; the next
     * run is one interval from now. {@code modified} is false when the content was unchanged.
     */
    void succeeded(UUID id, String name, UUID visualizationId, String checksum, boolean modified) throws SQLException {
        try (Connection c = admin.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE tessera.synchronizations SET state = 'success', "
                     + "name = coalesce(?, name), visualization_id = coalesce(?, visualization_id), checksum = ?, "
                     + "modified_at = CASE WHEN ? THEN clock_timestamp() ELSE modified_at END, retried_times = 0, "
                     + "error_code = NULL, error_message = NULL, ran_at = clock_timestamp(), "
                     + "run_at = clock_timestamp() + make_interval(secs => interval_s), updated_at = clock_timestamp() "
                     + "WHERE id = ?")) {
            ps.setString(1, name);
            ps.setObject(2, visualizationId);
            ps.setString(3, checksum);
            ps.setBoolean(4, modified);
            ps.setObject(5, id);
            ps.executeUpdate();
        }
    }

    /** A run failed: the import's code and message; retried by the scheduler until 10 failures in a row. */
    void failed(UUID id, int code, String message) throws SQLException {
        try (Connection c = admin.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE tessera.synchronizations SET state = 'failure', "
                     + "error_code = ?, error_message = ?, retried_times = retried_times + 1, ran_at = clock_timestamp(), "
                     + "run_at = clock_timestamp() + make_interval(secs => interval_s), updated_at = clock_timestamp() "
                     + "WHERE id = ?")) {
            ps.setInt(1, code);
            ps.setString(2, message);
            ps.setObject(3, id);
            ps.executeUpdate();
        }
    }

    static Optional<Sync> lock(Connection c, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS
                + " FROM tessera.synchronizations WHERE id = ? FOR UPDATE")) {
            ps.setObject(1, id);
            return single(ps);
        }
    }

    /**
     * Due syncs, locked, skipping rows another node holds: those never queued (created while their user was at
     * the concurrency limit) and those whose run_at passed after a success or fewer than 10 failures in a row.
     */
    static List<Sync> lockDue(Connection c, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM tessera.synchronizations "
                + "WHERE state = 'created' OR (run_at < clock_timestamp() "
                + "AND (state = 'success' OR (state = 'failure' AND retried_times < 10))) "
                + "ORDER BY run_at NULLS FIRST, created_at LIMIT ? FOR UPDATE SKIP LOCKED")) {
            ps.setInt(1, limit);
            return all(ps);
        }
    }

    private static List<Sync> all(PreparedStatement ps) throws SQLException {
        List<Sync> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(read(rs));
            }
        }
        return out;
    }

    private static Optional<Sync> single(PreparedStatement ps) throws SQLException {
        List<Sync> l = all(ps);
        return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
    }

    private static Sync read(ResultSet rs) throws SQLException {
        return new Sync(rs.getObject("id", UUID.class), rs.getObject("user_id", UUID.class), rs.getString("name"),
                rs.getString("url"), rs.getInt("interval_s"), rs.getString("state"), instant(rs, "run_at"),
                instant(rs, "ran_at"), instant(rs, "modified_at"), rs.getInt("retried_times"),
                rs.getObject("log_id", UUID.class), (Integer) rs.getObject("error_code"), rs.getString("error_message"),
                rs.getString("checksum"), rs.getBoolean("type_guessing"), rs.getBoolean("quoted_fields_guessing"),
                rs.getBoolean("content_guessing"), rs.getObject("visualization_id", UUID.class), instant(rs, "queued_at"),
                instant(rs, "created_at"), instant(rs, "updated_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
