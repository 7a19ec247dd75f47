package io.tessera.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpMediaType;
import io.helidon.webserver.http.ServerRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One HTTP request as the APIs see it: the path after any {@code /user/NAME} prefix, the user named
 * in that prefix, query parameters, and body parameters (form-urlencoded or JSON) parsed on demand.
 * Each API decides the precedence between query and body itself (decisions: parameter precedence).
 */
public final class ApiRequest {
    private final ServerRequest raw;
    private final String method;
    private final String path;
    private final String pathUser;
    private final Map<String, String> pathParams;
    private final Map<String, List<String>> query;
    private final int maxBodyBytes;
    private Map<String, List<String>> body;
    private JsonNode jsonBody;

    ApiRequest(ServerRequest raw, String method, String path, String pathUser, Map<String, String> pathParams,
               int maxBodyBytes) {
        this.raw = raw;
        this.maxBodyBytes = maxBodyBytes;
        this.method = method;
        this.path = path;
        this.pathUser = pathUser;
        this.pathParams = pathParams;
        this.query = parseForm(raw.query().rawValue());
    }

    public ServerRequest raw() {
        return raw;
    }

    public String method() {
        return method;
    }

    public String path() {
        return path;
    }

    public Optional<String> pathUser() {
        return Optional.ofNullable(pathUser);
    }

    public String pathParam(String name) {
        return pathParams.get(name);
    }

    public Optional<String> header(String name) {
        return raw.headers().first(HeaderNames.create(name));
    }

    public String host() {
        return header("Host").orElse(raw.authority() == null ? "" : raw.authority());
    }

    public Map<String, List<String>> query() {
        return query;
    }

    public Optional<String> queryParam(String name) {
        List<String> v = query.get(name);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(v.size() - 1));
    }

    /** Form or JSON body parameters (empty for other content types, GET and HEAD). JSON values are read as text. */
    public Map<String, List<String>> bodyParams() {
        if (body == null) {
            body = readBody();
        }
        return body;
    }

    public Optional<String> bodyParam(String name) {
        List<String> v = bodyParams().get(name);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(v.size() - 1));
    }

    /** The JSON body as a tree, if the request sent one. */
    public Optional<JsonNode> jsonBody() {
        bodyParams();
        return Optional.ofNullable(jsonBody);
    }

    private Map<String, List<String>> readBody() {
        if (method.equals("GET") || method.equals("HEAD") || !raw.content().hasEntity()) {
            return Map.of();
        }
        Optional<HttpMediaType> ct = raw.headers().contentType();
        String type = ct.map(t -> t.mediaType().type() + "/" + t.mediaType().subtype()).orElse("");
        try {
            if (type.equals("application/x-www-form-urlencoded")) {
                return parseForm(new String(readLimited(raw.content().inputStream()), StandardCharsets.UTF_8));
            }
            if (type.equals("application/json")) {
                byte[] bytes = readLimited(raw.content().inputStream());
                if (bytes.length == 0) {
                    return Map.of();
                }
                JsonNode node;
                try {
                    node = Json.MAPPER.readTree(bytes);
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    String m = e.getOriginalMessage() == null ? "Invalid JSON" : e.getOriginalMessage();
                    throw new ApiException(400, Json.errorList(m), "invalid JSON body");
                }
                jsonBody = node;
                Map<String, List<String>> m = new LinkedHashMap<>();
                if (node != null && node.isObject()) {
                    node.properties().forEach(e -> m.put(e.getKey(), jsonValues(e.getValue())));
                }
                return m;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of();
    }

    private static List<String> jsonValues(JsonNode v) {
        List<String> out = new ArrayList<>();
        if (v.isArray()) {
            v.forEach(e -> out.add(e.isValueNode() ? e.asText() : e.toString()));
        } else if (v.isNull()) {
            return out;
        } else {
            out.add(v.isValueNode() ? v.asText() : v.toString());
        }
        return out;
    }

    private byte[] readLimited(InputStream in) throws IOException {
        // A declared length past the limit is refused before a byte is read.
        if (raw.headers().contentLength().orElse(0L) > maxBodyBytes) {
            throw tooLarge();
        }
        byte[] b = in.readNBytes(maxBodyBytes + 1);
        if (b.length > maxBodyBytes) {
            throw tooLarge();
        }
        return b;
    }

    private static ApiException tooLarge() {
        return new ApiException(413, Json.errorList("Request body too large"), "body too large");
    }

    /** Parses {@code a=1&b=2&b=3}; repeated keys keep every value, {@code a[]} is read as {@code a}. */
    public static Map<String, List<String>> parseForm(String s) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        if (s == null || s.isEmpty()) {
            return m;
        }
        for (String pair : s.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = decode(eq < 0 ? pair : pair.substring(0, eq));
            String v = eq < 0 ? "" : decode(pair.substring(eq + 1));
            if (k.endsWith("[]")) {
                k = k.substring(0, k.length() - 2);
            }
            m.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
        }
        return m;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }
}
