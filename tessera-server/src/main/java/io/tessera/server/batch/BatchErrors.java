package io.tessera.server.batch;

import io.tessera.server.http.ApiException;
import io.tessera.server.http.Json;
import io.tessera.server.jobs.JobException;

/**
 * The Batch API's error table (sql-api.md §4.1, §3.1): everything the client got wrong is 400 with
 * {@code {"error":[msg]}}, a key other than master is 403 {@code permission denied}; auth failures before
 * that are worded as the SQL API words them.
 */
final class BatchErrors {
    static final String NOT_PENDING = "Job is not pending, it cannot be updated";

    private BatchErrors() {
    }

    static ApiException badRequest(String message) {
        return new ApiException(400, Json.errorList(message), message);
    }

    static ApiException permissionDenied() {
        return new ApiException(403, Json.errorList("permission denied"), "permission denied");
    }

    static ApiException payloadTooLarge(int bytes, int max) {
        return badRequest("Your payload is too large: " + bytes + " bytes. Max size allowed is " + max + " bytes ("
                + (max / 1024) + "kb). Are you trying to import data?. Please, check out import api "
                + "http://docs.cartodb.com/cartodb-platform/import-api/");
    }

    static ApiException from(JobException e) {
        return switch (e) {
            case JobException.QueueFull q ->
                    badRequest("Failed to create job. Max number of jobs (" + q.limit() + ") queued reached");
            case JobException.IllegalTransition t -> badRequest(t.getMessage());
            case JobException.NotFound n -> badRequest(n.getMessage());
        };
    }
}
