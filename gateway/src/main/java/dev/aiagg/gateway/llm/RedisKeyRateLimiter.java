package dev.aiagg.gateway.llm;

import dev.aiagg.gateway.dependency.DependencyCircuits;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

/**
 * Counts shared by every node, checked and taken in one atomic script. While Redis is away each node counts for
 * itself (so a key may get its limit once per node), and Redis counts again as soon as it answers.
 */
@Component
@ConditionalOnProperty(name = "aiagg.llm.rate-limit-store", havingValue = "redis")
class RedisKeyRateLimiter implements KeyRateLimiter {

    @SuppressWarnings("rawtypes")
    private static final RedisScript<List> ADMIT = RedisScript.of("""
            local rpm = tonumber(ARGV[1])
            local tpm = tonumber(ARGV[2])
            local n = tonumber(ARGV[3])
            local r = tonumber(redis.call('GET', KEYS[1]) or '0')
            local t = tonumber(redis.call('GET', KEYS[2]) or '0')
            local ttl = redis.call('PTTL', KEYS[1])
            if ttl < 0 then ttl = tonumber(ARGV[4]) end
            if (rpm > 0 and r + 1 > rpm) or (tpm > 0 and t + n > tpm) then
              return {0, r, t, ttl}
            end
            r = redis.call('INCR', KEYS[1])
            t = redis.call('INCRBY', KEYS[2], n)
            redis.call('PEXPIRE', KEYS[1], ttl)
            redis.call('PEXPIRE', KEYS[2], ttl)
            return {1, r, t, ttl}""", List.class);

    private final StringRedisTemplate redis;
    private final DependencyCircuits circuits;
    private final InMemoryKeyRateLimiter whileRedisIsAway = new InMemoryKeyRateLimiter();

    RedisKeyRateLimiter(StringRedisTemplate redis, DependencyCircuits circuits) {
        this.redis = redis;
        this.circuits = circuits;
    }

    @Override
    public Admission admit(String keyId, Integer rpm, Integer tpm, long tokens) {
        if (rpm == null && tpm == null) {
            return new Admission(true, null, null, 0, 0, WINDOW);
        }
        return circuits.withRedis(() -> shared(keyId, rpm, tpm, tokens),
                () -> whileRedisIsAway.admit(keyId, rpm, tpm, tokens));
    }

    private Admission shared(String keyId, Integer rpm, Integer tpm, long tokens) {
        long now = System.currentTimeMillis();
        long window = now / WINDOW.toMillis();
        long untilNext = (window + 1) * WINDOW.toMillis() - now;
        // One hash tag per key keeps both counters on one shard.
        String prefix = "aiagg:ratelimit:{" + keyId + "}:" + window;
        List<?> result = redis.execute(ADMIT, List.of(prefix + ":requests", prefix + ":tokens"),
                Integer.toString(rpm == null ? 0 : rpm), Integer.toString(tpm == null ? 0 : tpm),
                Long.toString(tokens), Long.toString(untilNext));
        return new Admission(((Number) result.get(0)).longValue() == 1, rpm, tpm,
                ((Number) result.get(1)).longValue(), ((Number) result.get(2)).longValue(),
                Duration.ofMillis(((Number) result.get(3)).longValue()));
    }
}
