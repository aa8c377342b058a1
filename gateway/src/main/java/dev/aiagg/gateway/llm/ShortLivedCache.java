package dev.aiagg.gateway.llm;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * Remembers answers of the read models for a fraction of a second, so a busy key does not ask the database for its
 * grant and its model on every call. The lifetime bounds how late a change is seen: a revoked key keeps working for
 * at most that long after its read model has the revocation, plus the moment a reload takes.
 * <p>
 * When an answer expires, one caller reloads it while the others keep the old one until the reload is in; a busy key
 * would otherwise send every call in flight to the database at once, several times a second.
 */
final class ShortLivedCache<K, V> {

    private static final int MAX_ENTRIES = 100_000;

    private final Map<K, Timed<V>> entries = new ConcurrentHashMap<>();
    private final long lifetimeNanos;

    ShortLivedCache(Duration lifetime) {
        this.lifetimeNanos = lifetime.toNanos();
    }

    V get(K key, Function<K, V> load) {
        long now = System.nanoTime();
        Timed<V> timed = entries.get(key);
        if (timed != null) {
            long age = now - timed.loadedAt();
            if (age < lifetimeNanos) {
                return timed.value();
            }
            // Half a lifetime more at most, should the reload fail or hang.
            if (age < lifetimeNanos + lifetimeNanos / 2 && !timed.reloading().compareAndSet(false, true)) {
                return timed.value();
            }
        }
        V value = load.apply(key);
        if (entries.size() >= MAX_ENTRIES) {
            // Entries live for less than a second; dropping them all only costs a few reloads.
            entries.clear();
        }
        entries.put(key, new Timed<>(value, now, new AtomicBoolean()));
        return value;
    }

    private record Timed<V>(V value, long loadedAt, AtomicBoolean reloading) {
    }
}
