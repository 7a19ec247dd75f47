package io.tessera.server.jobs;

import io.tessera.server.db.RoleConnection;
import java.sql.Connection;
import java.sql.SQLException;
import org.postgresql.PGConnection;

/**
 * A connection of the job's role whose backend is recorded on the job. While it is open, a cancel or a
 * lapsed lease reaches its statement; once closed, nothing can (the pooled session may serve others).
 */
public final class JobConnection implements AutoCloseable {
    private final JobContext context;
    private final RoleConnection connection;

    JobConnection(JobContext context, RoleConnection connection) {
        this.context = context;
        this.connection = connection;
    }

    public Connection jdbc() {
        return connection.jdbc();
    }

    public PGConnection pg() throws SQLException {
        return connection.pg();
    }

    /** The underlying pooled connection (to mark it broken, or restore its role). */
    public RoleConnection role() {
        return connection;
    }

    @Override
    public void close() {
        context.released(connection);
        connection.close();
    }
}
