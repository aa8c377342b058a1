package dev.aiagg.gateway.dependency;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;

/**
 * One circuit breaker per dependency the request path waits on: PostgreSQL (in front of every new use of a pooled
 * connection, see {@link CircuitBreakingDataSource}) and Redis (in front of every command, with a fallback). While a
 * circuit is open its callers fail or fall back in microseconds instead of each waiting out a timeout, so a dead
 * dependency cannot hold every request thread.
 */
public final class DependencyCircuits implements MeterBinder {

    private static final Logger log = LoggerFactory.getLogger(DependencyCircuits.class);

    private final CircuitBreaker database;
    private final CircuitBreaker redis;

    DependencyCircuits(DependencyProperties properties) {
        this.database = breaker("database", properties.database());
        this.redis = breaker("redis", properties.redis());
    }

    CircuitBreaker database() {
        return database;
    }

    CircuitBreaker redis() {
        return redis;
    }

    /**
     * Runs a Redis command, or the fallback when Redis failed or its circuit is open. Only Redis's own failures
     * (every one is a {@link DataAccessException}) count; anything else is a bug and propagates.
     */
    public <T> T withRedis(Supplier<T> command, Supplier<T> whileRedisIsAway) {
        if (!redis.tryAcquirePermission()) {
            return whileRedisIsAway.get();
        }
        long start = System.nanoTime();
        T result;
        try {
            result = command.get();
        } catch (DataAccessException failed) {
            redis.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, failed);
            log.debug("Redis command failed, falling back: {}", failed.toString());
            return whileRedisIsAway.get();
        } catch (RuntimeException bug) {
            redis.releasePermission();
            throw bug;
        }
        redis.onSuccess(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        return result;
    }

    /** As {@link #withRedis(Supplier, Supplier)} for a command whose loss does no harm (a cache write). */
    public void withRedis(Runnable command) {
        withRedis(() -> {
            command.run();
            return null;
        }, () -> null);
    }

    /** {@code aiagg.dependency.available{dependency}}: 0 while the circuit is open, else 1. */
    @Override
    public void bindTo(MeterRegistry registry) {
        for (CircuitBreaker breaker : List.of(database, redis)) {
            Gauge.builder("aiagg.dependency.available", breaker, b -> available(b) ? 1 : 0)
                    .tag("dependency", breaker.getName())
                    .description("0 while the dependency's circuit is open and its callers fail or fall back at once")
                    .register(registry);
        }
    }

    private static boolean available(CircuitBreaker breaker) {
        CircuitBreaker.State state = breaker.getState();
        return state != CircuitBreaker.State.OPEN && state != CircuitBreaker.State.FORCED_OPEN;
    }

    private static CircuitBreaker breaker(String name, DependencyProperties.Breaker settings) {
        CircuitBreaker breaker = CircuitBreaker.of(name, CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(settings.slidingWindowSize())
                .minimumNumberOfCalls(settings.minimumNumberOfCalls())
                .failureRateThreshold(settings.failureRateThreshold())
                .waitDurationInOpenState(settings.waitInOpenState())
                .permittedNumberOfCallsInHalfOpenState(settings.permittedCallsInHalfOpen())
                // Every failure counts: the callers record only the dependency's own failures.
                .recordExceptions(Throwable.class)
                .build());
        breaker.getEventPublisher().onStateTransition(event -> {
            switch (event.getStateTransition().getToState()) {
                case OPEN -> log.warn("{} is unavailable: its circuit is open, callers {} for {}", name,
                        name.equals("redis") ? "fall back" : "get 503", settings.waitInOpenState());
                case CLOSED -> log.info("{} is available again: its circuit is closed", name);
                default -> log.debug("{} circuit: {}", name, event.getStateTransition());
            }
        });
        return breaker;
    }
}
