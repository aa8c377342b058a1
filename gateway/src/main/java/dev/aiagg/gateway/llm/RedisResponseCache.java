package dev.aiagg.gateway.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/** A cache shared by every node, each answer kept for the configured time. */
@Component
@ConditionalOnProperty(name = "aiagg.llm.cache-store", havingValue = "redis")
class RedisResponseCache extends ResponseCache {

    private static final Logger log = LoggerFactory.getLogger(RedisResponseCache.class);

    private final StringRedisTemplate redis;
    private final ObjectMapper json;
    private final LlmProperties properties;

    RedisResponseCache(ObjectMapper json, StringRedisTemplate redis, LlmProperties properties) {
        super(json);
        this.redis = redis;
        this.json = json;
        this.properties = properties;
    }

    @Override
    Optional<Entry> find(String key) {
        String stored = redis.opsForValue().get(key);
        if (stored == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(json.readValue(stored, Entry.class));
        } catch (JsonProcessingException unreadable) {
            log.warn("dropping an unreadable cached answer {}", key, unreadable);
            redis.delete(key);
            return Optional.empty();
        }
    }

    @Override
    void keep(String key, Entry entry) {
        try {
            redis.opsForValue().set(key, json.writeValueAsString(entry), properties.cacheTtl());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
