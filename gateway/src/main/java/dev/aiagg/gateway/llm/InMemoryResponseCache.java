package dev.aiagg.gateway.llm;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/** One node's cache for the embedded default: the most recent answers, each for the configured time. */
@Component
@ConditionalOnProperty(name = "aiagg.llm.cache-store", havingValue = "memory", matchIfMissing = true)
class InMemoryResponseCache extends ResponseCache {

    private static final int CAPACITY = 10_000;

    private final Map<String, Timed> entries = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Timed> eldest) {
            return size() > CAPACITY;
        }
    };
    private final LlmProperties properties;
    private final Clock clock = Clock.systemUTC();

    InMemoryResponseCache(ObjectMapper json, LlmProperties properties) {
        super(json);
        this.properties = properties;
    }

    @Override
    synchronized Optional<Entry> find(String key) {
        Timed timed = entries.get(key);
        if (timed == null || !clock.instant().isBefore(timed.expiresAt())) {
            return Optional.empty();
        }
        return Optional.of(new Entry(timed.entry().body().deepCopy(), timed.entry().usage()));
    }

    @Override
    synchronized void keep(String key, Entry entry) {
        entries.put(key, new Timed(entry, clock.instant().plus(properties.cacheTtl())));
    }

    private record Timed(Entry entry, Instant expiresAt) {
    }
}
