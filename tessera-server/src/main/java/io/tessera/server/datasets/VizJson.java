package io.tessera.server.datasets;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tessera.server.auth.User;
import io.tessera.server.http.Json;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;

/**
 * A dataset's canonical visualization as {@code VisualizationPresenter#to_poro} writes it
 * (platform-api.md §4.2): the owner's "private poro" with {@code table}, {@code permission},
 * {@code dependent_visualizations_count}; the "public poro" for anyone else.
 */
public final class VizJson {
    private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX");

    /** What a presentation shows; {@code show} mirrors the {@code show_*} switches of the index and show. */
    public record Options(boolean permission, boolean liked, boolean table, int dependentVisualizations) {
    }

    /** Table facts that need queries on the table itself. */
    public record TableFacts(List<String> geometryTypes, long rowCount) {
    }

    private VizJson() {
    }

    public static String time(OffsetDateTime t) {
        return t == null ? null : ISO.format(t.withOffsetSameInstant(ZoneOffset.UTC));
    }

    public static ObjectNode publicPoro(Dataset d) {
        ObjectNode o = Json.object();
        o.put("id", d.id().toString());
        o.put("name", d.tableName());
        o.put("display_name", d.displayName());
        o.put("attributions", d.attributions());
        o.put("source", d.source());
        o.put("license", d.license());
        o.put("type", "table");
        tags(o, d);
        o.put("description", d.description());
        o.put("created_at", time(d.createdAt()));
        o.put("updated_at", time(d.updatedAt()));
        o.put("title", d.title());
        o.put("kind", "geom");
        o.put("privacy", d.privacy().name());
        return o;
    }

    public static ObjectNode privatePoro(Dataset d, User owner, String baseUrl, TableFacts facts, Options opt) {
        ObjectNode o = Json.object();
        o.put("id", d.id().toString());
        o.put("name", d.tableName());
        o.put("display_name", d.displayName());
        o.put("map_id", d.mapId().toString());
        o.putNull("active_layer_id");
        o.put("type", "table");
        tags(o, d);
        o.put("description", d.description());
        o.put("privacy", d.privacy().name());
        o.put("created_at", time(d.createdAt()));
        o.put("updated_at", time(d.updatedAt()));
        o.put("locked", d.locked());
        o.put("source", d.source());
        o.put("title", d.title());
        o.put("license", d.license());
        o.put("attributions", d.attributions());
        o.put("kind", "geom");
        o.putObject("external_source");
        o.put("url", baseUrl + "tables/" + d.tableName());
        o.put("version", 3);
        o.putNull("prev_id");
        o.putNull("next_id");
        o.putNull("parent_id");
        o.putObject("transition_options");
        o.putNull("active_child");
        o.putArray("children");
        o.putNull("synchronization");
        o.put("uses_builder_features", false);
        if (opt.dependentVisualizations() > 0) {
            o.put("dependent_visualizations_count", 0);
            o.putArray("dependent_visualizations");
        }
        if (opt.liked()) {
            o.put("liked", false);
        }
        if (opt.permission()) {
            o.set("permission", permission(d, owner));
        }
        o.putObject("stats");
        o.putArray("auth_tokens");
        if (opt.table()) {
            ObjectNode t = o.putObject("table");
            t.put("id", d.tableId().toString());
            t.put("name", d.tableName());
            ArrayNode types = t.putArray("geometry_types");
            facts.geometryTypes().forEach(types::add);
            t.put("privacy", d.privacy().tableText());
            t.put("updated_at", time(d.updatedAt()));
            t.putNull("synchronization");
            t.put("size", d.size());
            t.put("row_count", facts.rowCount());
            if (opt.permission()) {
                t.set("permission", permission(d, owner));
            }
        }
        return o;
    }

    static ObjectNode permission(Dataset d, User owner) {
        ObjectNode p = Json.object();
        p.put("id", UUID.nameUUIDFromBytes(("permission:" + d.id()).getBytes(StandardCharsets.UTF_8)).toString());
        ObjectNode o = p.putObject("owner");
        o.put("id", owner.id().toString());
        o.put("username", owner.username());
        o.put("email", owner.email());
        o.put("base_url", "");
        ObjectNode e = p.putObject("entity");
        e.put("id", d.id().toString());
        e.put("type", "vis");
        p.putArray("acl");
        p.put("created_at", time(d.createdAt()));
        p.put("updated_at", time(d.updatedAt()));
        return p;
    }

    private static void tags(ObjectNode o, Dataset d) {
        ArrayNode tags = o.putArray("tags");
        d.tags().forEach(tags::add);
    }
}
