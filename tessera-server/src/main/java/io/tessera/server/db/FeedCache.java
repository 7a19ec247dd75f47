package io.tessera.server.db;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.function.Function;

/**
 * A cache of rows from Tessera's own tables that the {@link ChangeFeed} keeps honest: while the feed listens, an
 * entry is good until a write of its {@link ChangeFeed.Topic} is heard (on any node); the generation is read
 * BEFORE loading, so a load that raced a write is not trusted afterwards. A caller that first waited for a
 * {@link ChangeFeed#awaitRound validation round} therefore sees every write committed before it asked. While
 * the feed is down, entries live {@code ttlWhenDown} (zero: not cached).
 */
public final class FeedCache<K, V> {
    private record Entry<V>(V value, long generation, long loadedNanos) {
    }

    private final ChangeFeed feed;
    private final ChangeFeed.Topic topic;
    private final long ttlNanos;
    private final Cache<K, Entry<V>> cache;

    public FeedCache(ChangeFeed feed, ChangeFeed.Topic topic, Duration ttlWhenDown, long maxSize) {
        this.feed = feed;
        this.topic = topic;
        this.ttlNanos = ttlWhenDown.toNanos();
        this.cache = Caffeine.newBuilder().maximumSize(maxSize).build();
    }

    public V get(K key, Function<K, V> loader) {
        return get(key, loader, false);
    }

    /** As {@link #get(Object, Function)}; {@code reload}: read the row now whatever is cached (and keep it). */
    public V get(K key, Function<K, V> loader, boolean reload) {
        boolean live = feed.live();
        long generation = feed.generation(topic);
        Entry<V> e = reload ? null : cache.getIfPresent(key);
        if (e != null && (live ? e.generation() == generation : System.nanoTime() - e.loadedNanos() < ttlNanos)) {
            return e.value();
        }
        V v = loader.apply(key);
        if (live || ttlNanos > 0) {
            cache.put(key, new Entry<>(v, live ? generation : -1, System.nanoTime()));
        }
        return v;
    }

    /** Forgets an entry (this node just wrote its row; other nodes hear of it through the feed). */
    public void invalidate(K key) {
        cache.invalidate(key);
    }

    public void invalidateAll() {
        cache.invalidateAll();
    }
}
