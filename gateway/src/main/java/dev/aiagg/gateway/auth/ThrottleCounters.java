package dev.aiagg.gateway.auth;

import java.time.Duration;

/**
 * Counters that live for a fixed window from their first hit. One node may keep them in memory; several nodes
 * must share them (Redis), or each would allow the full limit.
 */
interface ThrottleCounters {

    /** Adds one to the counter and returns it; the window starts with the first hit. */
    Count increment(String key, Duration window);

    /** The counter as it stands, without counting. */
    Count current(String key);

    void clear(String key);

    /** {@code remaining} is how long until the counter resets (zero when it does not exist). */
    record Count(long value, Duration remaining) {

        static final Count NONE = new Count(0, Duration.ZERO);
    }
}
