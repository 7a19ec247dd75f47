package io.tessera.client.maps;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tessera.client.auth.AuthClient;
import io.tessera.client.http.ApiRequest;
import io.tessera.client.http.Responses;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Named maps of the authenticated user, as carto-python's {@code NamedMapManager} (master key only on the
 * server): {@link #all}, {@link #get}, {@link #create}. An unknown name is a {@code CartoException} with status 404.
 */
public class NamedMapManager {
    private final AuthClient auth;

    public NamedMapManager(AuthClient auth) {
        this.auth = Objects.requireNonNull(auth, "auth");
    }

    /** The user's template ids. */
    public List<String> ids() {
        JsonNode r = Responses.json(auth.send(ApiRequest.get("api/v1/map/named/")));
        List<String> out = new ArrayList<>();
        r.path("template_ids").forEach(n -> out.add(n.asText()));
        return out;
    }

    /** Every template, each read in full (carto-python's {@code all()}). */
    public List<NamedMap> all() {
        return ids().stream().map(this::get).toList();
    }

    public NamedMap get(String templateId) {
        JsonNode r = Responses.json(auth.send(ApiRequest.get("api/v1/map/named/" + templateId + "/")));
        return new NamedMap(auth, (ObjectNode) r.get("template"));
    }

    /** Creates a template ({@code version}, {@code name}, {@code auth}, {@code placeholders}, {@code layergroup}, {@code view}). */
    public NamedMap create(ObjectNode template) {
        JsonNode r = Responses.json(auth.send(ApiRequest.post("api/v1/map/named/").withJson(template.deepCopy())));
        ObjectNode stored = template.deepCopy();
        stored.put("name", r.path("template_id").asText(template.path("name").asText()));
        return new NamedMap(auth, stored);
    }
}
