package io.tessera.server.maps;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * The in-process tile cache, bounded by bytes. A key names the role that drew the tile (security 11:
 * a master key's tile is never served to {@code default_public}), the user, the layergroup, the layer
 * selection, the tile, the format and the newest change stamp of the data read in the same request, so
 * a change to the data makes a new key and nothing stale is served.
 */
final class TileCache {
    record Key(String role, String user, String md5, String layers, String what, long stamp) {
    }

    private final Cache<Key, Tile> cache;
    private final boolean enabled;

    TileCache(long maxBytes) {
        enabled = maxBytes > 0;
        cache = Caffeine.newBuilder()
                .maximumWeight(maxBytes)
                .weigher((Key k, Tile t) -> t.bytes().length + 200)
                .build();
    }

    Tile get(Key key) {
        return enabled ? cache.getIfPresent(key) : null;
    }

    void put(Key key, Tile tile) {
        if (enabled) {
            cache.put(key, tile);
        }
    }

    long size() {
        return cache.estimatedSize();
    }
}
