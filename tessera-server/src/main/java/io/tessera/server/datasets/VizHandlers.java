package io.tessera.server.datasets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.webserver.http.ServerResponse;
import io.tessera.server.auth.Caller;
import io.tessera.server.auth.PlatformCallers;
import io.tessera.server.db.RoleConnection;
import io.tessera.server.db.RolePools;
import io.tessera.server.http.ApiRequest;
import io.tessera.server.http.Json;
import io.tessera.server.http.PlatformParams;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * {@code GET /api/v1/viz}, {@code GET|PUT|DELETE /api/v1/viz/:id} for datasets (type {@code table}).
 * Maps ({@code derived}) are not stored yet, so they list empty. Each request runs on a connection of the
 * key's own role; the owner's reads reconcile the registry with the schema first (decisions).
 */
public final class VizHandlers {
    private static final Set<String> ORDERS = Set.of("updated_at", "name", "size", "mapviews", "favorited",
            "estimated_row_count", "privacy", "dependent_visualizations", "likes", "row_count", "created_at");
    private static final Set<String> EDITABLE = Set.of("name", "display_name", "tags", "description", "privacy",
            "locked", "source", "title", "license", "attributions");

    private final PlatformCallers callers;
    private final RolePools pools;

    public VizHandlers(PlatformCallers callers, RolePools pools) {
        this.callers = callers;
        this.pools = pools;
    }

    public void list(ApiRequest req, ServerResponse res) throws Exception {
        Caller caller = callers.optional(req);
        int page = positive(req, "page", 1);
        int perPage = positive(req, "per_page", 20);
        String order = PlatformParams.get(req, "order").orElse("updated_at");
        if (!ORDERS.containsAll(List.of(order.split(",")))) {
            throw PlatformErrors.listError(400, "Wrong 'order' parameter value. Valid values are one of " + ORDERS);
        }
        List<String> types = List.of(PlatformParams.get(req, "types").or(() -> PlatformParams.get(req, "type"))
                .orElse("derived").split(","));
        boolean owner = caller.key().isMaster();
        List<Dataset> all;
        ArrayNode items = Json.MAPPER.createArrayNode();
        VizJson.Options opt = new VizJson.Options(PlatformParams.flag(req, "show_permission", true),
                PlatformParams.flag(req, "show_liked", true), PlatformParams.flag(req, "show_table", true),
                PlatformParams.get(req, "with_dependent_visualizations").map(VizHandlers::intOr0).orElse(0));
        int total;
        try (RoleConnection rc = pools.connect(caller.key().dbRole())) {
            Connection c = rc.jdbc();
            all = types.contains("table") ? load(c, owner) : List.of();
            if (!owner) {
                all = all.stream().filter(d -> d.privacy() == Privacy.PUBLIC).toList();
            }
            List<Dataset> matching = filter(all, req);
            matching = sort(matching, order, PlatformParams.get(req, "order_direction").orElse("desc"));
            total = matching.size();
            int from = Math.min((page - 1) * perPage, total);
            for (Dataset d : matching.subList(from, Math.min(from + perPage, total))) {
                items.add(owner ? present(c, req, caller, d, opt) : VizJson.publicPoro(d));
            }
        }
        ObjectNode body = Json.object();
        body.set("visualizations", items);
        body.put("total_entries", total);
        if (owner && PlatformParams.flag(req, "load_totals", true)) {
            body.put("total_user_entries", all.size());
            body.put("total_likes", 0);
            body.put("total_shared", 0);
            body.put("total_locked", (int) all.stream().filter(Dataset::locked).count());
        }
        PlatformParams.sendJson(res, 200, body);
    }

    public void show(ApiRequest req, ServerResponse res) throws Exception {
        Caller caller = callers.optional(req);
        boolean owner = caller.key().isMaster();
        try (RoleConnection rc = pools.connect(caller.key().dbRole())) {
            Connection c = rc.jdbc();
            Dataset d = find(c, owner, req.pathParam("id"));
            if (!owner) {
                PlatformParams.sendJson(res, 200, VizJson.publicPoro(d));
                return;
            }
            VizJson.Options opt = new VizJson.Options(PlatformParams.flag(req, "show_permission", false),
                    PlatformParams.flag(req, "show_liked", false), true,
                    PlatformParams.get(req, "with_dependent_visualizations").map(VizHandlers::intOr0).orElse(0));
            ObjectNode o = present(c, req, caller, d, opt);
            o.putArray("related_tables");
            PlatformParams.sendJson(res, 200, o);
        }
    }

    public void update(ApiRequest req, ServerResponse res) throws Exception {
        Caller caller = callers.master(req);
        JsonNode body = req.jsonBody().orElseThrow(() -> PlatformErrors.empty(403));
        String pathId = req.pathParam("id");
        try (RoleConnection rc = pools.connect(caller.key().dbRole())) {
            Connection c = rc.jdbc();
            c.setAutoCommit(false);
            Dataset d = find(c, true, pathId);
            if (!body.path("id").asText("").equals(pathId) && !body.path("id").asText("").equals(d.id().toString())) {
                throw PlatformErrors.empty(403);
            }
            Dataset.Edit edit = applyEdits(d.edit(), body);
            try {
                DatasetStore.save(c, caller.user(), d, edit);
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw PlatformErrors.fromDatabase(e);
            }
            Dataset saved = DatasetStore.find(c, d.id().toString()).orElseThrow();
            VizJson.Options all = new VizJson.Options(true, true, true, 1);
            ObjectNode o = present(c, req, caller, saved, all);
            o.putArray("related_tables");
            c.commit();
            PlatformParams.sendJson(res, 200, o);
        }
    }

    public void delete(ApiRequest req, ServerResponse res) throws Exception {
        Caller caller = callers.master(req);
        try (RoleConnection rc = pools.connect(caller.key().dbRole())) {
            Connection c = rc.jdbc();
            c.setAutoCommit(false);
            Dataset d = find(c, true, req.pathParam("id"));
            try {
                DatasetStore.delete(c, d);
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw PlatformErrors.fromDatabase(e);
            }
        }
        res.status(io.helidon.http.Status.NO_CONTENT_204).send();
    }

    static List<Dataset> load(Connection c, boolean owner) throws SQLException {
        if (!owner) {
            return DatasetStore.list(c);
        }
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            DatasetStore.reconcile(c);
            List<Dataset> out = DatasetStore.list(c);
            c.commit();
            return out;
        } finally {
            c.setAutoCommit(auto);
        }
    }

    static Dataset find(Connection c, boolean owner, String idOrName) throws SQLException {
        if (owner) {
            boolean auto = c.getAutoCommit();
            if (auto) {
                c.setAutoCommit(false);
            }
            DatasetStore.reconcile(c);
            if (auto) {
                c.commit();
                c.setAutoCommit(true);
            }
        }
        return DatasetStore.find(c, idOrName).orElseThrow(() -> PlatformErrors.carto(404, "Visualization does not exist"));
    }

    private static ObjectNode present(Connection c, ApiRequest req, Caller caller, Dataset d, VizJson.Options opt)
            throws SQLException {
        VizJson.TableFacts facts = opt.table()
                ? new VizJson.TableFacts(DatasetStore.geometryTypes(c, d), DatasetStore.rowCount(c, d))
                : new VizJson.TableFacts(List.of(), 0);
        return VizJson.privatePoro(d, caller.user(), PlatformParams.baseUrl(req, caller.user().username()), facts, opt);
    }

    private static Dataset.Edit applyEdits(Dataset.Edit e, JsonNode body) {
        String name = e.name();
        Privacy privacy = e.privacy();
        String displayName = e.displayName();
        String description = e.description();
        List<String> tags = e.tags();
        String source = e.source();
        String title = e.title();
        String license = e.license();
        String attributions = e.attributions();
        boolean locked = e.locked();
        for (String f : EDITABLE) {
            if (!body.has(f)) {
                continue;
            }
            JsonNode v = body.get(f);
            String text = v.isNull() ? null : v.asText();
            switch (f) {
                // the SDK echoes the whole object: an unchanged name is no rename, even if not normalised
                case "name" -> name = e.name().equals(text) ? e.name() : TableNames.checkRename(text);
                case "privacy" -> privacy = Privacy.parse(text).orElseThrow(() -> PlatformErrors.updateError(400,
                        "Privacy '" + text + "' is not one of PUBLIC, PRIVATE, LINK"));
                case "display_name" -> displayName = text;
                case "description" -> description = text;
                case "tags" -> {
                    List<String> t = new ArrayList<>();
                    if (v.isArray()) {
                        v.forEach(x -> t.add(x.asText()));
                    }
                    tags = t;
                }
                case "source" -> source = text;
                case "title" -> title = text;
                case "license" -> license = text;
                case "attributions" -> attributions = text;
                case "locked" -> locked = v.asBoolean(false);
                default -> throw new IllegalStateException(f);
            }
        }
        return new Dataset.Edit(name, privacy, displayName, description, tags, source, title, license, attributions, locked);
    }

    private static List<Dataset> filter(List<Dataset> all, ApiRequest req) {
        Optional<Privacy> privacy = PlatformParams.get(req, "privacy").flatMap(Privacy::parse);
        String q = PlatformParams.get(req, "q").map(s -> s.toLowerCase(Locale.ROOT)).orElse(null);
        boolean onlyShared = PlatformParams.get(req, "shared").map("only"::equals).orElse(false)
                || PlatformParams.flag(req, "only_shared", false);
        return all.stream()
                .filter(d -> !onlyShared)
                .filter(d -> privacy.isEmpty() || privacy.get() == d.privacy())
                .filter(d -> q == null || (d.tableName() + " " + String.join(" ", d.tags()) + " "
                        + (d.description() == null ? "" : d.description())).toLowerCase(Locale.ROOT).contains(q))
                .toList();
    }

    private static List<Dataset> sort(List<Dataset> in, String order, String direction) {
        Comparator<Dataset> cmp = switch (order.split(",")[0]) {
            case "name" -> Comparator.comparing(Dataset::tableName);
            case "size" -> Comparator.comparingLong(Dataset::size);
            case "estimated_row_count", "row_count" -> Comparator.comparingLong(Dataset::estimatedRows);
            case "privacy" -> Comparator.comparing(d -> d.privacy().db());
            case "created_at" -> Comparator.comparing(Dataset::createdAt);
            default -> Comparator.comparing(Dataset::updatedAt);
        };
        if (!"asc".equalsIgnoreCase(direction)) {
            cmp = cmp.reversed();
        }
        return in.stream().sorted(cmp.thenComparing(Dataset::tableName)).toList();
    }

    private static int positive(ApiRequest req, String name, int dflt) {
        Optional<String> v = PlatformParams.get(req, name);
        if (v.isEmpty() || v.get().isEmpty()) {
            return dflt;
        }
        int n = intOr0(v.get());
        if (n <= 0) {
            throw PlatformErrors.listError(400, "Wrong '" + name + "' parameter value.");
        }
        return n;
    }

    private static int intOr0(String s) {
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
