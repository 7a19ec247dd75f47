package io.tessera.client.datasets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tessera.client.Json;
import io.tessera.client.auth.AuthClient;
import io.tessera.client.http.ApiRequest;
import io.tessera.client.http.Responses;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A visualization of {@code /api/v1/viz} (carto-python's {@code Visualization}): its fields as the server sent
 * them, setters for the editable ones, {@link #save()} (PUT of the whole object, as the SDK does) and
 * {@link #delete()}.
 */
public class Visualization {
    protected final AuthClient auth;
    protected ObjectNode fields;

    Visualization(AuthClient auth, JsonNode fields) {
        this.auth = auth;
        this.fields = fields.deepCopy();
    }

    public String id() {
        return fields.path("id").asText();
    }

    public String name() {
        return fields.path("name").asText();
    }

    /** {@code PRIVATE}, {@code PUBLIC} or {@code LINK}. */
    public String privacy() {
        return fields.path("privacy").asText();
    }

    public String type() {
        return fields.path("type").asText();
    }

    public Optional<String> description() {
        JsonNode d = fields.get("description");
        return d == null || d.isNull() ? Optional.empty() : Optional.of(d.asText());
    }

    public List<String> tags() {
        List<String> out = new ArrayList<>();
        fields.path("tags").forEach(t -> out.add(t.asText()));
        return out;
    }

    public String updatedAt() {
        return fields.path("updated_at").asText();
    }

    public int dependentVisualizationsCount() {
        return fields.path("dependent_visualizations_count").asInt(0);
    }

    /** Every field of the last answer. */
    public ObjectNode fields() {
        return fields.deepCopy();
    }

    /** Case-insensitive on the server: {@code private}, {@code public}, {@code link}. */
    public Visualization setPrivacy(String privacy) {
        fields.put("privacy", privacy);
        return this;
    }

    /** Renames (for a dataset: renames its table). */
    public Visualization setName(String name) {
        fields.put("name", name);
        return this;
    }

    public Visualization setDescription(String description) {
        fields.put("description", description);
        return this;
    }

    public Visualization setTags(List<String> tags) {
        ArrayNode a = fields.putArray("tags");
        tags.forEach(a::add);
        return this;
    }

    /** Sends the whole object (PUT), as carto-python's {@code save()}; the answer replaces the fields. */
    public Visualization save() {
        JsonNode answer = Responses.json(auth.send(ApiRequest.put(path()).withJson(fields)));
        fields = (ObjectNode) answer;
        return this;
    }

    /** Deletes it (a dataset's table is dropped). */
    public void delete() {
        Responses.json(auth.send(ApiRequest.delete(path())));
    }

    protected String path() {
        return "api/v1/viz/" + URLEncoder.encode(id(), StandardCharsets.UTF_8);
    }

    static JsonNode read(AuthClient auth, String idOrName, String type) {
        ApiRequest req = ApiRequest.get("api/v1/viz/" + URLEncoder.encode(idOrName, StandardCharsets.UTF_8).replace("+", "%20"))
                .withQuery("type", type).withQuery("exclude_shared", "true");
        if (type.equals("table")) {
            req = req.withQuery("with_dependent_visualizations", "1");
        }
        return Responses.json(auth.send(req));
    }

    /** Every page of {@code GET api/v1/viz} of one type, as carto-python's paginator reads them. */
    static List<JsonNode> list(AuthClient auth, String type) {
        List<JsonNode> out = new ArrayList<>();
        for (int page = 1; ; page++) {
            ApiRequest req = ApiRequest.get("api/v1/viz/").withQuery("page", String.valueOf(page)).withQuery("type", type)
                    .withQuery("exclude_shared", "true");
            if (type.equals("table")) {
                req = req.withQuery("with_dependent_visualizations", "1");
            }
            JsonNode answer = Responses.json(auth.send(req));
            JsonNode items = answer.path("visualizations");
            items.forEach(out::add);
            int total = answer.path("total_entries").asInt(out.size());
            if (items.isEmpty() || out.size() >= total) {
                return out;
            }
        }
    }

    static ObjectNode empty() {
        return Json.mapper().createObjectNode();
    }
}
