package io.tessera.server.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.server.db.RoleConnection;
import io.tessera.server.db.RolePools;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a {@link JobKind} gets for one run: the job, connections of the job's role that cancel and lease
 * take-over can reach, fenced progress saves, and cancel signals. One per claimed job.
 */
public final class JobContext {
    private static final Logger LOG = LoggerFactory.getLogger(JobContext.class);

    private final Job job;
    private final String owner;
    private final JobLeases leases;
    private final RolePools pools;
    private final List<Runnable> cancelListeners = new CopyOnWriteArrayList<>();
    private volatile RoleConnection current;
    private volatile boolean cancelled;
    private volatile String stopReason;
    private volatile JsonNode lastState;

    JobContext(Job job, String owner, JobLeases leases, RolePools pools) {
        this.job = job;
        this.owner = owner;
        this.leases = leases;
        this.pools = pools;
        this.lastState = job.state();
    }

    public Job job() {
        return job;
    }

    public JsonNode payload() {
        return job.payload();
    }

    /** The state last saved (or the job's state at claim). */
    public JsonNode state() {
        return lastState;
    }

    /**
     * A connection logged in as the job's role, in autocommit, whose backend is recorded on the job: a
     * cancel (from any node) or a lapsed lease reaches the statement running on it. Close it when done.
     */
    public JobConnection connect() throws SQLException {
        RoleConnection c = pools.connect(job.dbRole());
        try {
            c.jdbc().setAutoCommit(true);
            int pid;
            try (Statement s = c.jdbc().createStatement(); ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
                rs.next();
                pid = rs.getInt(1);
            }
            leases.attachBackend(job.id(), owner, pid);
            synchronized (this) {
                if (cancelled || stopReason != null) {
                    c.markBroken();
                    throw new SQLException("the job was cancelled", "57014");
                }
                current = c;
            }
            return new JobConnection(this, c);
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** Saves progress (fenced: fails if another node took the job over). */
    public void saveState(JsonNode state) throws SQLException {
        lastState = state;
        if (!leases.saveState(job.id(), owner, state)) {
            throw new SQLException("job " + job.id() + " lost its lease");
        }
    }

    /** Whether a cancel was requested (asks the database, so a cancel sent to another node counts at once). */
    public boolean cancelRequested() throws SQLException {
        if (!cancelled && leases.cancelRequested(job.id())) {
            cancelled = true;
        }
        return cancelled;
    }

    /** Why this node is giving the job up (server stopping, lease lost), or null while it may go on. */
    public String stopReason() {
        return stopReason;
    }

    /** Runs when a cancel arrives or the node gives the job up: stop work that SQL cancel cannot reach (processes). */
    public void onCancel(Runnable listener) {
        cancelListeners.add(listener);
    }

    /** A cancel was seen (heartbeat or local): stop the running statement and tell the listeners. */
    void cancel() {
        synchronized (this) {
            cancelled = true;
        }
        interrupt();
    }

    void stop(String reason) {
        synchronized (this) {
            if (stopReason == null) {
                stopReason = reason;
            }
        }
        interrupt();
    }

    /** Called when the kind closes its connection: from then on no cancel may reach it. */
    synchronized void released(RoleConnection c) {
        if (current == c) {
            current = null;
        }
    }

    private void interrupt() {
        synchronized (this) {
            signalCurrent();
        }
        notifyListeners();
    }

    private void signalCurrent() {
        RoleConnection c = current;
        if (c != null) {
            c.markBroken(); // a late cancel must not reach the next user of this connection
            try {
                c.pg().cancelQuery();
            } catch (SQLException e) {
                LOG.debug("job {}: cancel failed: {}", job.id(), e.getMessage());
            }
        }
    }

    private void notifyListeners() {
        cancelListeners.forEach(l -> {
            try {
                l.run();
            } catch (RuntimeException e) {
                LOG.warn("job {}: cancel listener failed", job.id(), e);
            }
        });
    }

    String owner() {
        return owner;
    }
}
