package io.tessera.server.copy;

import io.tessera.server.http.ApiException;
import io.tessera.server.sql.SqlApiErrors;
import java.sql.SQLException;

/**
 * The COPY API's error table (sql-api.md §5): the SQL API's shapes and statuses ({@code {"error":[msg]}};
 * "permission denied" 403; timeouts 429), plus COPY's own 400s.
 */
final class CopyErrors {
    private CopyErrors() {
    }

    static ApiException noRows() {
        return SqlApiErrors.badRequest("No rows copied");
    }

    static ApiException tooLarge(long cap) {
        return SqlApiErrors.badRequest("COPY FROM maximum POST size of " + size(cap) + " exceeded");
    }

    static ApiException gunzip(String reason) {
        return SqlApiErrors.badRequest("Error while gunzipping: " + reason);
    }

    static ApiException upload(String reason) {
        return SqlApiErrors.badRequest("COPY FROM aborted: the upload ended early (" + reason + "); no rows were copied");
    }

    static ApiException fromSql(SQLException e, boolean timedOut) {
        return timedOut ? SqlApiErrors.timeout() : SqlApiErrors.fromSql(e);
    }

    /** 2 GB, 512 MB, 1000 bytes: the cap as people write it. */
    static String size(long bytes) {
        if (bytes % (1L << 30) == 0) {
            return (bytes >> 30) + " GB";
        }
        if (bytes % (1L << 20) == 0) {
            return (bytes >> 20) + " MB";
        }
        return bytes + " bytes";
    }
}
