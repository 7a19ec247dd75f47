package io.tessera.server.maps;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tessera.server.auth.User;
import io.tessera.server.db.ChangeFeed;
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
 * transaction under the user's time limit. What a tile rests on is read before it is drawn, so a cached tile is
 * never older than what it records; a cached tile is served without any query only as {@link CachedTile} allows.
 */
public final class MapDrawing {
    /**
     * Who draws: the login role and the user whose schema and limits apply; {@code template} when the SQL
     * came from a named-map template with placeholder values in it; {@code round}, the validation round the
     * request waited for before it was authorized (null: none, so nothing is served without a query).
     */
    public record Drawer(String role, User user, boolean template, ChangeFeed.Round round) {
        /** The same drawer, for work that never serves from the tile cache without a query. */
        Drawer(String role, User user, boolean template) {
            this(role, user, template, null);
        }
    }

    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private record PlanKey(String role, UUID user, String md5) {
    }

    /**
     * An inspected plan and the soft DDL epoch read before inspecting it. With the feed tracking DDL it stands until
     * any DDL is heard (a view, a rename or a grant may change what it reads); otherwise for {@link #PLAN_TTL}.
     */
    private record PlanEntry(MapPlan plan, long softEpoch, long inspectedNanos) {
        boolean usable(ChangeFeed.Epochs now, boolean tracking) {
            return tracking ? softEpoch == now.soft() : System.nanoTime() - inspectedNanos < PLAN_TTL.toNanos();
        }
    }

    private static final Duration PLAN_TTL = Duration.ofSeconds(60);

    private final RolePools pools;
    private final Watchdog watchdog;
    private final int defaultTimeoutMs;
    private final TileCache tiles;
    private final ChangeFeed feed;
    private final Cache<PlanKey, PlanEntry> plans = Caffeine.newBuilder().maximumSize(5_000).build();

    public MapDrawing(RolePools pools, ChangeFeed feed, Watchdog watchdog, int defaultTimeoutMs, long tileCacheBytes) {
        this.pools = pools;
        this.feed = feed;
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
     * Any drawn output of {@code layers} (named {@code what} in the cache key), from the cache when every input is
     * tracked and provably unchanged; see {@link CachedTile} for when that is.
     */
    Tile tile(Drawer d, String md5, MapConfig config, List<Layer> layers, String layerKey, String what, TileWork work) {
        TileCache.Key key = new TileCache.Key(d.role(), d.user().id().toString(), md5, layerKey, what);
        if (d.round() != null) {
            // No query of our own: the round began after this request arrived and has been heard back.
            CachedTile hit = tiles.get(key);
            if (hit != null && hit.servable(d.round(), feed.epochs(), feed.stamps())) {
                return hit.tile;
            }
        }
        // Read BEFORE anything is read on the connection: whatever DDL lands later moves the epochs past these.
        ChangeFeed.Epochs before = feed.epochs();
        boolean tracking = feed.tracking();
        PlanKey planKey = new PlanKey(d.role(), d.user().id(), md5);
        return withConnection(d, c -> {
            PlanEntry known = plans.getIfPresent(planKey);
            MapPlan plan = known != null && known.usable(before, tracking) ? known.plan() : null;
            if (plan == null) {
                beginReadOnly(c, d);
                plan = MapPlan.inspect(c, config);
                plans.put(planKey, new PlanEntry(plan, before.soft(), System.nanoTime()));
            }
            // Read before drawing (drawing happens later, in a later snapshot), so a tile is never older than these.
            TileInputs in = TileInputs.read(c, plan.tables(layers), feed.stamps());
            boolean tracked = plan.trackable(layers) && in.complete();
            if (tracked) {
                CachedTile cached = tiles.get(key);
                if (cached != null && cached.revalidate(in, before, tracking)) {
                    return cached.tile;
                }
            }
            if (layers.isEmpty()) {
                return Tile.of(new byte[0], in.newestMillis(), tracked);
            }
            beginReadOnly(c, d);
            byte[] bytes;
            try {
                bytes = work.draw(c, plan, layers);
            } catch (SQLException e) {
                plans.invalidate(planKey);
                throw e;
            }
            Tile t = Tile.of(bytes == null ? new byte[0] : bytes, in.newestMillis(), tracked);
            if (tracked) {
                tiles.put(key, new CachedTile(t, in, before));
            }
            return t;
        });
    }

    /** The newest change stamp of the tables the plan reads that the connection's role may read (ms, 0 if none). */
    long newestStamp(Connection c, MapPlan plan, List<Layer> layers) throws SQLException {
        return TileInputs.read(c, plan.tables(layers), feed.stamps()).newestMillis();
    }
}
