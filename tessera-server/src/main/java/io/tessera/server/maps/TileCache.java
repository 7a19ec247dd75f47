package io.tessera.server.maps;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * The in-process tile cache, bounded by bytes. A key names the role that drew the tile (security 11: a master
 * key's tile is never served to {@code default_public}), the user, the layergroup, the layer selection, the tile
 * and the format; the entry says what the tile was drawn from and when it may be served ({@link CachedTile}).
 */
final class TileCache {
    record Key(String role, String user, String md5, String layers, String what) {
    }

    private final Cache<Key, CachedTile> cache;
    private final boolean enabled;

    TileCache(long maxBytes) {
        enabled = maxBytes > 0;
        cache = Caffeine.newBuilder()
                .maximumWeight(Math.max(0, maxBytes))
                .weigher((Key k, CachedTile t) -> t.tile.bytes().length + 300)
                .build();
    }

    CachedTile get(Key key) {
        return enabled ? cache.getIfPresent(key) : null;
    }

    void put(Key key, CachedTile tile) {
        if (enabled) {
            cache.put(key, tile);
        }
    }
}
