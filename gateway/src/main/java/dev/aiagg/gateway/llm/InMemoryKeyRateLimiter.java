package dev.aiagg.gateway.llm;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/** One node's counts, for the embedded default. */
@Component
@ConditionalOnProperty(name = "aiagg.llm.rate-limit-store", havingValue = "memory", matchIfMissing = true)
class InMemoryKeyRateLimiter implements KeyRateLimiter {

    private final Map<String, Window> windows = new ConcurrentHashMap<>();
    private final Clock clock;

    InMemoryKeyRateLimiter() {
        this(Clock.systemUTC());
    }

    InMemoryKeyRateLimiter(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Admission admit(String keyId, Integer rpm, Integer tpm, long tokens) {
        if (rpm == null && tpm == null) {
            return new Admission(true, null, null, 0, 0, WINDOW);
        }
        long now = clock.millis();
        long windowStart = now - now % WINDOW.toMillis();
        Duration reset = Duration.ofMillis(windowStart + WINDOW.toMillis() - now);
        Window window = windows.compute(keyId, (id, current) ->
                current == null || current.start != windowStart ? new Window(windowStart) : current);
        synchronized (window) {
            boolean fits = (rpm == null || window.requests + 1 <= rpm) && (tpm == null || tokens <= tpm - window.tokens);
            if (fits) {
                window.requests++;
                window.tokens += tokens;
            }
            return new Admission(fits, rpm, tpm, window.requests, window.tokens, reset);
        }
    }

    private static final class Window {
        private final long start;
        private long requests;
        private long tokens;

        private Window(long start) {
            this.start = start;
        }
    }
}
