package io.tessera.client.sql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tessera.client.CartoException;
import io.tessera.client.Json;
import io.tessera.client.auth.AuthClient;
import io.tessera.client.http.ApiRequest;
import io.tessera.client.http.Responses;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Batch SQL API ({@code api/<version>/sql/job}), as carto-python's {@code BatchSQLClient}: create a job from
 * one query, a list of queries or a fallback object; read, update, cancel, and wait for completion. Every method
 * answers the server's job JSON ({@code job_id}, {@code status}, {@code query}, …).
 */
public class BatchSqlClient {
    private static final Pattern FINISHED = Pattern.compile("^Cannot set status from (\\w+) to cancelled$");
    private static final Set<String> WAITING = Set.of("pending", "running");
    /** carto-python polls every 2 s. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(2);

    private final AuthClient auth;
    private final String path;

    public BatchSqlClient(AuthClient auth) {
        this(auth, "v2");
    }

    public BatchSqlClient(AuthClient auth, String apiVersion) {
        this.auth = Objects.requireNonNull(auth, "auth");
        this.path = "api/" + Objects.requireNonNull(apiVersion, "apiVersion") + "/sql/job";
    }

    /** Creates a job running {@code query}. */
    public JsonNode create(String query) {
        return create(Json.mapper().getNodeFactory().textNode(query));
    }

    /** Creates a job running {@code queries} in order (a "multiple" job). */
    public JsonNode create(List<String> queries) {
        return create(Json.mapper().valueToTree(queries));
    }

    /** Creates a job from any {@code query} value the API takes (string, array, or fallback object). */
    public JsonNode create(JsonNode query) {
        // carto-python posts to the path with a trailing slash.
        return Responses.json(auth.send(ApiRequest.post(path + "/").withJson(body(query))));
    }

    /** Reads a job. */
    public JsonNode read(String jobId) {
        return Responses.json(auth.send(ApiRequest.get(jobPath(jobId))));
    }

    /**
     * Replaces the query of a job that has not started. A Tessera extension (CARTO removed {@code PUT}); against
     * CARTO this fails with the server's 404.
     */
    public JsonNode update(String jobId, String query) {
        return update(jobId, Json.mapper().getNodeFactory().textNode(query));
    }

    /** {@link #update(String, String)} with any {@code query} value. */
    public JsonNode update(String jobId, JsonNode query) {
        return Responses.json(auth.send(ApiRequest.put(jobPath(jobId)).withJson(body(query))));
    }

    /**
     * Cancels a job and returns its status: {@code cancelled}, or, as carto-python, the status a job already
     * finished with ({@code done}, {@code failed}, …) when the server refuses to cancel it.
     */
    public String cancel(String jobId) {
        try {
            return Responses.json(auth.send(ApiRequest.delete(jobPath(jobId)))).path("status").asText();
        } catch (CartoException e) {
            Matcher m = e.errors().isEmpty() ? null : FINISHED.matcher(e.errors().get(0));
            if (m != null && m.matches()) {
                return m.group(1);
            }
            throw e;
        }
    }

    /** The user's recent jobs, newest first. A Tessera extension ({@code GET /sql/job}). */
    public JsonNode list() {
        return Responses.json(auth.send(ApiRequest.get(path)));
    }

    /** Creates a job and polls every 2 s until it ends; returns the final job JSON when it is {@code done}. */
    public JsonNode createAndWaitForCompletion(JsonNode query) {
        return waitForCompletion(create(query).path("job_id").asText(), DEFAULT_INTERVAL);
    }

    /** {@link #createAndWaitForCompletion(JsonNode)} for one query text. */
    public JsonNode createAndWaitForCompletion(String query) {
        return createAndWaitForCompletion(Json.mapper().getNodeFactory().textNode(query));
    }

    /**
     * Polls a job every {@code interval} while it is pending or running.
     *
     * @throws CartoException when it ends {@code failed} (with its {@code failed_reason}), {@code cancelled} or
     *                        {@code unknown}
     */
    public JsonNode waitForCompletion(String jobId, Duration interval) {
        while (true) {
            JsonNode job = read(jobId);
            String status = job.path("status").asText();
            if (!WAITING.contains(status)) {
                if (status.equals("done")) {
                    return job;
                }
                String reason = job.path("failed_reason").asText("");
                throw new CartoException(200, List.of("Batch job " + jobId + " " + status
                        + (reason.isEmpty() ? "" : ": " + reason)), job);
            }
            try {
                Thread.sleep(interval.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CartoException("interrupted while waiting for job " + jobId, e);
            }
        }
    }

    private String jobPath(String jobId) {
        return path + "/" + Objects.requireNonNull(jobId, "jobId");
    }

    private static ObjectNode body(JsonNode query) {
        ObjectNode body = Json.mapper().createObjectNode();
        body.set("query", query);
        return body;
    }
}
