package io.tessera.server.keys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tessera.server.auth.ApiKey;
import io.tessera.server.auth.User;
import io.tessera.server.http.Json;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * A key as the Auth API shows it (platform-api.md §6): no {@code id}; {@code apis} and {@code database}
 * grants always present, the database part read back from PostgreSQL (empty for master and default keys);
 * {@code dataservices} only when non-empty; dates as Ruby's {@code Time#to_s}.
 */
final class KeyPresenter {
    private static final DateTimeFormatter RUBY_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'");
    private static final List<String> MASTER_SERVICES = List.of("geocoding", "routing", "isolines", "observatory");

    private KeyPresenter() {
    }

    static ObjectNode present(User user, KeyStore.StoredKey stored, DatabaseGrants database) {
        ApiKey key = stored.key();
        ObjectNode o = Json.object();
        o.put("name", key.name());
        o.putObject("user").put("username", user.username());
        o.put("type", key.type().wire());
        o.put("token", key.token());
        ArrayNode grants = o.putArray("grants");
        ArrayNode apis = grants.addObject().put("type", "apis").putArray("apis");
        List.of(ApiKey.API_SQL, ApiKey.API_MAPS, "do").stream().filter(key::allows).forEach(apis::add);
        ObjectNode db = grants.addObject().put("type", "database");
        ArrayNode tables = db.putArray("tables");
        for (DatabaseGrants.Table t : database.tables()) {
            ObjectNode to = tables.addObject().put("schema", t.schema()).put("name", t.name()).put("owner", t.owner());
            t.permissions().forEach(to.putArray("permissions")::add);
        }
        ArrayNode schemas = db.putArray("schemas");
        database.createSchemas().forEach(s -> schemas.addObject().put("name", s).putArray("permissions").add("create"));
        List<String> services = key.isMaster() ? MASTER_SERVICES : stored.services();
        if (!services.isEmpty()) {
            services.forEach(grants.addObject().put("type", "dataservices").putArray("services")::add);
        }
        if (key.isMaster()) {
            grants.addObject().put("type", "user").putArray("data").add("profile");
        }
        for (JsonNode extra : stored.otherGrants()) {
            if (extra.path("type").asText().equals("database")) {
                db.set("table_metadata", Json.MAPPER.createArrayNode());
            } else {
                grants.add(extra);
            }
        }
        o.put("created_at", rubyTime(stored.createdAt()));
        o.put("updated_at", rubyTime(stored.updatedAt()));
        return o;
    }

    static String rubyTime(OffsetDateTime t) {
        return RUBY_TIME.format(t.withOffsetSameInstant(ZoneOffset.UTC));
    }
}
