package dev.aiagg.gateway.auth;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Counters of a single node, for the embedded default. */
@Component
@ConditionalOnProperty(name = "aiagg.security.throttle.store", havingValue = "memory", matchIfMissing = true)
class InMemoryThrottleCounters implements ThrottleCounters {

    // Past this many counters, expired ones are swept, so a flood of distinct keys cannot exhaust the heap.
    private static final int SWEEP_ABOVE = 10_000;

    private final Map<String, Window> windows = new ConcurrentHashMap<>();
    private final Clock clock = Clock.systemUTC();

    @Override
    public Count increment(String key, Duration window) {
        Instant now = clock.instant();
        if (windows.size() > SWEEP_ABOVE) {
            windows.values().removeIf(w -> w.expired(now));
        }
        Window updated = windows.compute(key, (k, w) -> w == null || w.expired(now)
                ? new Window(1, now.plus(window))
                : new Window(w.count() + 1, w.expiresAt()));
        return updated.toCount(now);
    }

    @Override
    public Count current(String key) {
        Instant now = clock.instant();
        Window window = windows.get(key);
        return window == null || window.expired(now) ? Count.NONE : window.toCount(now);
    }

    @Override
    public void clear(String key) {
        windows.remove(key);
    }

    private record Window(long count, Instant expiresAt) {

        boolean expired(Instant now) {
            return !expiresAt.isAfter(now);
        }

        Count toCount(Instant now) {
            return new Count(count, Duration.between(now, expiresAt));
        }
    }
}
