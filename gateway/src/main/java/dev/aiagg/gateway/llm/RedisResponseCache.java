package dev.aiagg.gateway.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aiagg.gateway.dependency.DependencyCircuits;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * A cache shared by every node, each answer kept for the configured time. While Redis is away every look-up is a
 * miss and nothing is kept: the call goes to the provider as without the cache.
 */
@Component
@ConditionalOnProperty(name = "aiagg.llm.cache-store", havingValue = "redis")
class RedisResponseCache extends ResponseCache {

    private static final Logger log = LoggerFactory.getLogger(RedisResponseCache.class);

    private final StringRedisTemplate redis;
    private final ObjectMapper json;
    private final LlmProperties properties;
    private final DependencyCircuits circuits;

    RedisResponseCache(ObjectMapper json, StringRedisTemplate redis, LlmProperties properties,
                       DependencyCircuits circuits) {
        super(json);
        this.redis = redis;
        this.json = json;
        this.properties = properties;
        this.circuits = circuits;
    }

    @Override
    Optional<Entry> find(String key) {
        String stored = circuits.withRedis(() -> redis.opsForValue().get(key), () -> null);
        if (stored == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(json.readValue(stored, Entry.class));
        } catch (JsonProcessingException unreadable) {
            log.warn("dropping an unreadable cached answer {}", key, unreadable);
            circuits.withRedis(() -> redis.delete(key));
            return Optional.empty();
        }
    }

    @Override
    void keep(String key, Entry entry) {
        String stored;
        try {
            stored = json.writeValueAsString(entry);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        circuits.withRedis(() -> redis.opsForValue().set(key, stored, properties.cacheTtl()));
    }
}
