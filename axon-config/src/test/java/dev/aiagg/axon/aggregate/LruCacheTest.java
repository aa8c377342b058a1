package dev.aiagg.axon.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.axonframework.common.caching.Cache;
import org.junit.jupiter.api.Test;

class LruCacheTest {

    private final LruCache cache = new LruCache(2);

    @Test
    void evictsTheLeastRecentlyUsedEntryBeyondItsBound() {
        cache.put("a", 1);
        cache.put("b", 2);
        cache.get("a");
        cache.put("c", 3);

        assertThat(cache.containsKey("a")).isTrue();
        assertThat(cache.containsKey("b")).isFalse();
        assertThat(cache.containsKey("c")).isTrue();
        assertThat(cache.size()).isEqualTo(2);
    }

    @Test
    void holdsItsEntriesStronglyThroughGarbageCollection() {
        cache.put("a", new StringBuilder("aggregate"));
        System.gc();

        assertThat(cache.<String, StringBuilder>get("a")).hasToString("aggregate");
    }

    @Test
    void putIfAbsentKeepsTheExistingEntry() {
        assertThat(cache.putIfAbsent("a", 1)).isTrue();
        assertThat(cache.putIfAbsent("a", 2)).isFalse();
        assertThat(cache.<String, Integer>get("a")).isEqualTo(1);
    }

    @Test
    void computeIfPresentUpdatesOnlyAnExistingEntry() {
        cache.put("a", 1);
        cache.<Integer>computeIfPresent("a", value -> value + 1);
        cache.<Integer>computeIfPresent("b", value -> value + 1);

        assertThat(cache.<String, Integer>get("a")).isEqualTo(2);
        assertThat(cache.containsKey("b")).isFalse();
    }

    @Test
    void removesOneOrAllEntries() {
        cache.put("a", 1);
        cache.put("b", 2);

        assertThat(cache.remove("a")).isTrue();
        assertThat(cache.remove("a")).isFalse();
        cache.removeAll();
        assertThat(cache.size()).isZero();
    }

    @Test
    void tellsListenersAboutCreationUpdateExpiryAndRemoval() {
        List<String> seen = new ArrayList<>();
        cache.registerCacheEntryListener(new Cache.EntryListenerAdapter() {
            @Override
            public void onEntryCreated(Object key, Object value) {
                seen.add("created " + key);
            }

            @Override
            public void onEntryUpdated(Object key, Object value) {
                seen.add("updated " + key);
            }

            @Override
            public void onEntryExpired(Object key) {
                seen.add("expired " + key);
            }

            @Override
            public void onEntryRemoved(Object key) {
                seen.add("removed " + key);
            }
        });

        cache.put("a", 1);
        cache.put("a", 2);
        cache.put("b", 1);
        cache.put("c", 1);
        cache.remove("c");

        assertThat(seen).containsExactly("created a", "updated a", "created b", "expired a", "created c",
                "removed c");
    }

    @Test
    void refusesAnEmptyBound() {
        assertThatThrownBy(() -> new LruCache(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
