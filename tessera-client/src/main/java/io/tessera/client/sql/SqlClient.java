package io.tessera.client.sql;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.client.auth.AuthClient;
import io.tessera.client.http.ApiRequest;
import io.tessera.client.http.Param;
import io.tessera.client.http.Responses;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Runs SQL through the SQL API ({@code api/<version>/sql}), as carto-python's {@code SQLClient}: parsed JSON for
 * small results, raw bytes for file formats, and streams for results too large to hold in memory. Every method
 * throws {@link io.tessera.client.CartoException} with the server's messages when the query fails.
 */
public class SqlClient {

    /** carto-python's {@code MAX_GET_QUERY_LEN}: longer queries are always POSTed. */
    static final int MAX_GET_QUERY_LENGTH = 1024;

    private final AuthClient auth;
    private final String path;

    /** A client for the {@code v2} SQL API. */
    public SqlClient(AuthClient auth) {
        this(auth, "v2");
    }

    /** A client for {@code api/<apiVersion>/sql} ({@code v1} and {@code v2} behave the same on Tessera). */
    public SqlClient(AuthClient auth, String apiVersion) {
        this.auth = Objects.requireNonNull(auth, "auth");
        this.path = "api/" + Objects.requireNonNull(apiVersion, "apiVersion") + "/sql";
    }

    /** Runs {@code sql} (POST) and returns the JSON answer: {@code rows}, {@code fields}, {@code total_rows}, …. */
    public JsonNode send(String sql) {
        return send(sql, SqlOptions.defaults());
    }

    /**
     * Runs {@code sql} and returns the parsed answer.
     *
     * @throws IllegalArgumentException when {@code options} asks for a format that is not JSON; use
     *                                  {@link #sendBytes} or {@link #openStream} for those
     */
    public JsonNode send(String sql, SqlOptions options) {
        if (!options.isJsonFormat()) {
            throw new IllegalArgumentException("format " + options.format() + " is not JSON: use sendBytes or "
                    + "openStream");
        }
        return Responses.json(auth.send(request(sql, options)));
    }

    /** Runs {@code sql} and returns the whole answer as bytes (CSV, GPKG, SHP zip, KML, …). */
    public byte[] sendBytes(String sql, SqlOptions options) {
        return Responses.bytes(auth.send(request(sql, options)));
    }

    /**
     * Runs {@code sql} and returns the answer body as a stream, for copying large results without holding them.
     * The status is checked first; a JSON body can still end with an {@code "error"} key when the query failed
     * after rows were sent, which {@link #streamRows} detects. The caller closes the stream.
     */
    public InputStream openStream(String sql, SqlOptions options) {
        return Responses.bodyOrThrow(auth.send(request(sql, options)));
    }

    /** Runs {@code sql} and reads its rows one at a time (JSON format). */
    public SqlRowStream streamRows(String sql) {
        return streamRows(sql, SqlOptions.defaults());
    }

    /** Runs {@code sql} with {@code options} and reads its rows one at a time; the format must be JSON. */
    public SqlRowStream streamRows(String sql, SqlOptions options) {
        if (options.format() != null && !options.format().equals("json")) {
            throw new IllegalArgumentException("streamRows reads format json, not " + options.format());
        }
        return new SqlRowStream(openStream(sql, options));
    }

    /** Runs {@code sql} with {@code format=geojson} and reads its features one at a time. */
    public GeoJsonFeatureStream streamFeatures(String sql) {
        return streamFeatures(sql, SqlOptions.defaults());
    }

    /** Runs {@code sql} with {@code options} and {@code format=geojson}, reading features one at a time. */
    public GeoJsonFeatureStream streamFeatures(String sql, SqlOptions options) {
        return new GeoJsonFeatureStream(openStream(sql, options.withFormat("geojson")));
    }

    /**
     * The request {@link #send} makes for {@code sql}, before credentials: {@code q}, then {@code format}, then
     * the extra parameters, as a form body (POST) or a query string (GET).
     */
    public ApiRequest request(String sql, SqlOptions options) {
        Objects.requireNonNull(sql, "sql");
        List<Param> params = new ArrayList<>();
        params.add(new Param("q", sql));
        if (options.format() != null) {
            params.add(new Param("format", options.format()));
        }
        options.params().forEach((k, v) -> params.add(new Param(k, v)));
        // Python's len() counts code points, not UTF-16 units.
        boolean get = !options.doPost() && sql.codePointCount(0, sql.length()) < MAX_GET_QUERY_LENGTH;
        return get ? ApiRequest.get(path).withQuery(params) : ApiRequest.post(path).withForm(params);
    }

    /** The auth client this SQL client sends through. */
    public AuthClient authClient() {
        return auth;
    }
}
