package io.tessera.client.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest.BodyPublisher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A request to a CARTO-style API before credentials are added: method, a path relative to the auth client's base
 * URL (as carto-python's {@code urljoin}: {@code api/v2/sql} stays under {@code /user/NAME/}, {@code /api/v3/me}
 * goes to the host root), query parameters, body and extra headers. Immutable; the {@code with…} methods return
 * copies. An {@code AuthClient} decides where the credentials go and turns it into an {@code HttpRequest}.
 *
 * @param method  the HTTP method, upper case
 * @param path    the path relative to the base URL
 * @param query   query-string parameters, in order
 * @param body    the body
 * @param headers extra headers (the auth client sets {@code User-Agent} and the body's {@code Content-Type})
 */
public record ApiRequest(String method, String path, List<Param> query, RequestBody body,
        Map<String, String> headers) {

    public ApiRequest {
        method = Objects.requireNonNull(method, "method").toUpperCase(Locale.ROOT);
        Objects.requireNonNull(path, "path");
        query = List.copyOf(query);
        Objects.requireNonNull(body, "body");
        headers = Map.copyOf(headers);
    }

    /** A request with the given method and relative path, no parameters and no body. */
    public static ApiRequest of(String method, String path) {
        return new ApiRequest(method, path, List.of(), RequestBody.none(), Map.of());
    }

    /** {@code GET path}. */
    public static ApiRequest get(String path) {
        return of("GET", path);
    }

    /** {@code POST path}. */
    public static ApiRequest post(String path) {
        return of("POST", path);
    }

    /** {@code PUT path}. */
    public static ApiRequest put(String path) {
        return of("PUT", path);
    }

    /** {@code DELETE path}. */
    public static ApiRequest delete(String path) {
        return of("DELETE", path);
    }

    /** This request with one more query parameter. */
    public ApiRequest withQuery(String name, String value) {
        List<Param> q = new ArrayList<>(query);
        q.add(new Param(name, value));
        return new ApiRequest(method, path, q, body, headers);
    }

    /** This request with {@code params} appended to the query string. */
    public ApiRequest withQuery(List<Param> params) {
        List<Param> q = new ArrayList<>(query);
        q.addAll(params);
        return new ApiRequest(method, path, q, body, headers);
    }

    /** This request with every query parameter named {@code name} removed. */
    public ApiRequest withoutQuery(String name) {
        List<Param> q = new ArrayList<>(query);
        q.removeIf(p -> p.name().equals(name));
        return new ApiRequest(method, path, q, body, headers);
    }

    /** This request with a form-urlencoded body. */
    public ApiRequest withForm(List<Param> fields) {
        return withBody(new RequestBody.Form(fields));
    }

    /** This request with a JSON body. */
    public ApiRequest withJson(JsonNode json) {
        return withBody(new RequestBody.Json(json));
    }

    /** This request with a body of another type, published afresh each time the request is built. */
    public ApiRequest withBody(String contentType, Supplier<BodyPublisher> publisher) {
        return withBody(new RequestBody.Raw(contentType, publisher));
    }

    /** This request with the given body. */
    public ApiRequest withBody(RequestBody newBody) {
        return new ApiRequest(method, path, query, newBody, headers);
    }

    /** This request with one more header (replacing one of the same name). */
    public ApiRequest withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new ApiRequest(method, path, query, body, h);
    }
}
