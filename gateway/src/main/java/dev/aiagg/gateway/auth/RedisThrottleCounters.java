package dev.aiagg.gateway.auth;

import dev.aiagg.gateway.dependency.DependencyCircuits;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.List;

/**
 * Counters shared by every node. Increment and expiry run as one script, so no counter is left without a TTL. While
 * Redis is away each node counts in its own memory, so sign-in still answers and is still throttled (per node).
 */
@Component
@ConditionalOnProperty(name = "aiagg.security.throttle.store", havingValue = "redis")
class RedisThrottleCounters implements ThrottleCounters {

    private static final String PREFIX = "aiagg:throttle:";

    @SuppressWarnings("rawtypes")
    private static final RedisScript<List> INCREMENT = RedisScript.of("""
            local n = redis.call('INCR', KEYS[1])
            if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
            return {n, redis.call('PTTL', KEYS[1])}""", List.class);

    @SuppressWarnings("rawtypes")
    private static final RedisScript<List> CURRENT = RedisScript.of("""
            local n = redis.call('GET', KEYS[1])
            if not n then return {0, 0} end
            return {tonumber(n), redis.call('PTTL', KEYS[1])}""", List.class);

    private final StringRedisTemplate redis;
    private final DependencyCircuits circuits;
    private final InMemoryThrottleCounters whileRedisIsAway = new InMemoryThrottleCounters();

    RedisThrottleCounters(StringRedisTemplate redis, DependencyCircuits circuits) {
        this.redis = redis;
        this.circuits = circuits;
    }

    @Override
    public Count increment(String key, Duration window) {
        return circuits.withRedis(
                () -> toCount(redis.execute(INCREMENT, List.of(PREFIX + key), Long.toString(window.toMillis()))),
                () -> whileRedisIsAway.increment(key, window));
    }

    @Override
    public Count current(String key) {
        return circuits.withRedis(() -> toCount(redis.execute(CURRENT, List.of(PREFIX + key))),
                () -> whileRedisIsAway.current(key));
    }

    @Override
    public void clear(String key) {
        whileRedisIsAway.clear(key);
        circuits.withRedis(() -> redis.delete(PREFIX + key));
    }

    private static Count toCount(List<?> reply) {
        long value = ((Number) reply.get(0)).longValue();
        long millis = Math.max(0, ((Number) reply.get(1)).longValue());
        return value == 0 ? Count.NONE : new Count(value, Duration.ofMillis(millis));
    }
}
