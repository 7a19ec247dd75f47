package io.tessera.bench.p6;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tessera.server.db.AdminDatabase;
import io.tessera.server.db.RoleConnection;
import io.tessera.server.db.Platform;
import io.tessera.server.auth.User;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The one map both renderers draw: four layers (country polygons, generated road polylines, the 1 M points,
 * labelled cities) in drawing order, each a query and a CartoCSS file under {@code p6/}. Tessera gets them as an
 * anonymous map (one layer per query, its file as the layer's cartocss); Mapnik as the same queries and the same
 * files compiled together by carto, where each file's {@code #id} names its layer.
 */
record P6Map(List<Layer> layers) {
    /** A layer: its id (the CartoCSS {@code #id}), its SQL (schema-qualified, only the columns the style reads). */
    record Layer(String id, String sql, String cartocss) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    static P6Map of(String schema) throws IOException {
        String s = AdminDatabase.quoteIdent(schema) + ".";
        List<Layer> out = new ArrayList<>();
        out.add(layer("countries", "SELECT cartodb_id, continent, the_geom_webmercator FROM " + s + "naturalearth_lowres"));
        out.add(layer("roads", "SELECT cartodb_id, kind, the_geom_webmercator FROM " + s + "p6_roads"));
        out.add(layer("points", "SELECT cartodb_id, category, the_geom_webmercator FROM " + s + "points_1m"));
        out.add(layer("cities", "SELECT cartodb_id, name, the_geom_webmercator FROM " + s + "naturalearth_cities"));
        return new P6Map(List.copyOf(out));
    }

    private static Layer layer(String id, String sql) throws IOException {
        try (InputStream in = P6Map.class.getResourceAsStream("/p6/" + id + ".mss")) {
            if (in == null) {
                throw new IOException("missing style p6/" + id + ".mss");
            }
            return new Layer(id, sql, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /** The anonymous map config: layer ids as given, so the MVT layers carry the same names as Mapnik's. */
    String mapConfig() {
        ObjectNode root = JSON.createObjectNode().put("version", "1.3.1");
        ArrayNode ls = root.putArray("layers");
        for (Layer l : layers) {
            ObjectNode layer = ls.addObject().put("type", "mapnik").put("id", l.id());
            layer.putObject("options").put("sql", l.sql()).put("cartocss", l.cartocss()).put("cartocss_version", "2.1.1");
        }
        return root.toString();
    }

    /** Writes the style files into {@code dir} (for carto) and returns them in layer order. */
    List<Path> writeStyles(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        for (Layer l : layers) {
            out.add(Files.writeString(dir.resolve(l.id() + ".mss"), l.cartocss()));
        }
        return out;
    }

    /**
     * Generated roads beside the P5 points: 50 000 random-walk polylines of 10 vertices around the same four cities
     * (kind 0: 2 km steps, 1: 600 m, 2: 150 m), so line styling is exercised at every zoom.
     */
    static void makeRoads(Platform platform, User owner) throws Exception {
        try (RoleConnection c = platform.pools().connect(owner.ownerRole()); Statement s = c.jdbc().createStatement()) {
            s.execute("SET statement_timeout = 0");
            s.execute("SELECT setseed(0.6)");
            s.execute("""
                    CREATE TABLE p6_roads AS
                    WITH seeds AS (
                      SELECT i, (i % 3)::int AS kind, (ARRAY[2000, 600, 150])[i % 3 + 1] AS step,
                             ST_Transform(ST_SetSRID(ST_MakePoint(
                               c.lon + 0.6 * sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()),
                               c.lat + 0.6 * sqrt(-2 * ln(1 - random())) * sin(2 * pi() * random())), 4326), 3857) AS start
                        FROM generate_series(1, 50000) AS i
                        JOIN (VALUES (0, 2.35, 48.85), (1, 13.40, 52.52), (2, -3.70, 40.42), (3, 12.50, 41.90))
                             AS c(k, lon, lat) ON c.k = i % 4),
                    walk AS (
                      SELECT s.i, s.kind, v.v,
                             ST_X(s.start) + sum(v.dx) OVER w AS x, ST_Y(s.start) + sum(v.dy) OVER w AS y
                        FROM seeds s
                        CROSS JOIN LATERAL (SELECT n AS v, (random() - 0.5) * s.step AS dx, (random() - 0.5) * s.step AS dy
                                              FROM generate_series(0, 9) AS n) AS v
                      WINDOW w AS (PARTITION BY s.i ORDER BY v.v))
                    SELECT i::bigint AS cartodb_id, kind,
                           ST_SetSRID(ST_MakeLine(array_agg(ST_MakePoint(x, y) ORDER BY v)), 3857) AS the_geom_webmercator
                      FROM walk GROUP BY i, kind""");
            s.execute("ALTER TABLE p6_roads ADD PRIMARY KEY (cartodb_id)");
            s.execute("CREATE INDEX ON p6_roads USING gist (the_geom_webmercator)");
            s.execute("ANALYZE p6_roads");
        }
    }
}
