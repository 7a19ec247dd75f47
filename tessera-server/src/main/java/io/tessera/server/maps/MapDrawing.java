package io.tessera.server.maps;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tessera.server.auth.User;
import io.tessera.server.db.RoleConnection;
import io.tessera.server.db.RolePools;
import io.tessera.server.maps.MapConfig.Layer;
import io.tessera.server.sql.Watchdog;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * Draws for one role: every query of a map request runs on a connection of that role, in a READ ONLY
 * transaction under the user's time limit. Stamps are read before the tile is drawn (in the same
 * transaction), so a cached tile is never older than the stamps in its key.
 */
public final class MapDrawing {
    /**
     * Who draws: the login role and the user whose schema and limits apply; {@code template} when the SQL
     * came from a named-map template with placeholder values in it.
     */
    public record Drawer(String role, User user, boolean template) {
    }

    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private record PlanKey(String role, UUID user, String md5) {
    }

    private final RolePools pools;
    private final Watchdog watchdog;
    private final int defaultTimeoutMs;
    private final TileCache tiles;
    private final Cache<PlanKey, MapPlan> plans = Caffeine.newBuilder()
            .maximumSize(5_000).expireAfterWrite(Duration.ofSeconds(60)).build();

    public MapDrawing(RolePools pools, Watchdog watchdog, int defaultTimeoutMs, long tileCacheBytes) {
        this.pools = pools;
        this.watchdog = watchdog;
        this.defaultTimeoutMs = defaultTimeoutMs;
        this.tiles = new TileCache(tileCacheBytes);
    }

    /** Runs {@code work} in a READ ONLY transaction on a connection of the drawer's role. */
    <T> T readOnly(Drawer d, Work<T> work) {
        return withConnection(d, c -> {
            beginReadOnly(c, d);
            return work.run(c);
        });
    }

    /**
     * Starts the READ ONLY transaction every query of a map's own SQL runs in (named maps also pin
     * {@code standard_conforming_strings}, which placeholder quoting relies on).
     */
    private static void beginReadOnly(Connection c, Drawer d) throws SQLException {
        if (!c.getAutoCommit()) {
            return;
        }
        c.setAutoCommit(false);
        c.setReadOnly(true);
        if (d.template()) {
            try (Statement s = c.createStatement()) {
                s.execute("SET LOCAL standard_conforming_strings = on");
            }
        }
    }

    /** Runs {@code work} on a connection of the drawer's role (autocommit until it begins a transaction). */
    private <T> T withConnection(Drawer d, Work<T> work) {
        int timeout = d.user().sqlTimeoutMs() != null ? d.user().sqlTimeoutMs() : defaultTimeoutMs;
        try (RoleConnection conn = pools.connect(d.role());
             Watchdog.Guard guard = watchdog.guard(conn, timeout)) {
            try {
                Connection c = conn.jdbc();
                T out = work.run(c);
                if (!c.getAutoCommit()) {
                    c.commit();
                }
                return out;
            } catch (SQLException e) {
                if (guard.fired() || "57014".equals(e.getSQLState())) {
                    conn.markBroken();
                }
                throw e;
            }
        } catch (SQLException e) {
            throw MapsErrors.fromSql(e, null);
        }
    }

    /** The plans of a stored map for this drawer, inspected on its own connection (cached briefly). */
    MapPlan plan(Connection c, Drawer d, String md5, MapConfig config) throws SQLException {
        PlanKey key = new PlanKey(d.role(), d.user().id(), md5);
        MapPlan p = plans.getIfPresent(key);
        if (p == null) {
            p = MapPlan.inspect(c, config);
            plans.put(key, p);
        }
        return p;
    }

    /** Draws the selected layers' bytes on the drawing connection, given their inspected plans. */
    @FunctionalInterface
    interface TileWork {
        byte[] draw(Connection c, MapPlan plan, List<Layer> layers) throws SQLException;
    }

    /** A vector tile of the selected layers, from the cache when the data has not moved. */
    public Tile mvt(Drawer d, String md5, MapConfig config, LayerFilter filter, TileCoord tile) {
        return tile(d, md5, config, filter.mapnik().stream().filter(l -> l.visibleAt(tile.z())).toList(), filter.key(),
                tile.toString() + ".mvt", (c, plan, layers) -> {
                    String sql = MvtQuery.sql(layers, plan.of(layers), tile, config.vectorExtent(), config.bufferPx("mvt"));
                    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                        rs.next();
                        return rs.getBytes(1);
                    }
                });
    }

    /**
     * Any drawn output of {@code layers} (named {@code what} in the cache key), from the cache when every
     * input is tracked and its stamps have not moved. Stamps are read before drawing, in the same transaction.
     */
    Tile tile(Drawer d, String md5, MapConfig config, List<Layer> layers, String layerKey, String what, TileWork work) {
        PlanKey planKey = new PlanKey(d.role(), d.user().id(), md5);
        return withConnection(d, c -> {
            // Fast path: with the plan known, one statement of our own (autocommit) reads the stamps, and a
            // tracked tile comes from the cache. Drawing happens later than this read, so a tile is never older
            // than the stamps of its key.
            MapPlan plan = plans.getIfPresent(planKey);
            LayerInspector.Stamps stamps = null;
            if (plan != null) {
                stamps = LayerInspector.stamps(c, plan.tables(layers));
                Tile hit = cached(d, md5, layers, layerKey, what, plan, stamps);
                if (hit != null) {
                    return hit;
                }
            }
            beginReadOnly(c, d);
            if (plan == null) {
                plan = plan(c, d, md5, config);
                stamps = LayerInspector.stamps(c, plan.tables(layers));
                Tile hit = cached(d, md5, layers, layerKey, what, plan, stamps);
                if (hit != null) {
                    return hit;
                }
            }
            boolean tracked = tracked(plan, layers, stamps);
            if (layers.isEmpty()) {
                return Tile.of(new byte[0], stamps.newestMillis(), tracked);
            }
            byte[] bytes;
            try {
                bytes = work.draw(c, plan, layers);
            } catch (SQLException e) {
                plans.invalidate(planKey);
                throw e;
            }
            Tile t = Tile.of(bytes == null ? new byte[0] : bytes, stamps.newestMillis(), tracked);
            if (tracked) {
                tiles.put(key(d, md5, layerKey, what, stamps), t);
            }
            return t;
        });
    }

    private static boolean tracked(MapPlan plan, List<Layer> layers, LayerInspector.Stamps stamps) {
        return plan.trackable(layers) && stamps.count() == plan.tables(layers).size();
    }

    private static TileCache.Key key(Drawer d, String md5, String layerKey, String what, LayerInspector.Stamps stamps) {
        return new TileCache.Key(d.role(), d.user().id().toString(), md5, layerKey, what, stamps.newestMillis());
    }

    private Tile cached(Drawer d, String md5, List<Layer> layers, String layerKey, String what, MapPlan plan,
                        LayerInspector.Stamps stamps) {
        return tracked(plan, layers, stamps) ? tiles.get(key(d, md5, layerKey, what, stamps)) : null;
    }
}
