package dev.aiagg.gateway.dependency;

import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.boot.actuate.amqp.RabbitHealthIndicator;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Redis and RabbitMQ in health and readiness without failing either: while Redis is away rate limits, sign-in
 * throttling and the response cache fall back to this node's memory, and while RabbitMQ is away events wait in the
 * event store for publication to catch up; the API works on. They show as {@code DEGRADED} (HTTP 200, ranked between
 * {@code DOWN} and {@code UP} in {@code management.endpoint.health.status.order}), where Boot's own indicators would
 * say {@code DOWN} and make the whole of {@code /actuator/health} and readiness answer 503. PostgreSQL keeps Boot's
 * {@code db} indicator: without it the platform cannot serve, so it is not ready.
 */
@Configuration(proxyBeanMethods = false)
class DependencyHealthConfiguration {

    static final Status DEGRADED = new Status("DEGRADED",
            "unavailable; the platform serves on without it");

    /**
     * Named as Boot's, which it replaces. A ping through Redis's circuit breaker: answered at once while the circuit
     * is open, and one of the probes that close it again once Redis answers.
     */
    @Bean
    @ConditionalOnEnabledHealthIndicator("redis")
    HealthIndicator redisHealthIndicator(StringRedisTemplate redis, DependencyCircuits circuits) {
        return () -> circuits.withRedis(
                () -> Health.up().withDetail("ping", redis.execute((RedisCallback<String>) RedisConnection::ping))
                        .build(),
                () -> Health.status(DEGRADED).withDetail("fallback", "this node's memory").build());
    }

    @Bean
    @ConditionalOnEnabledHealthIndicator("rabbit")
    HealthIndicator rabbitHealthIndicator(RabbitTemplate rabbit) {
        RabbitHealthIndicator broker = new RabbitHealthIndicator(rabbit);
        return () -> degradedWhenDown(broker.health());
    }

    private static Health degradedWhenDown(Health health) {
        return Status.DOWN.equals(health.getStatus())
                ? Health.status(DEGRADED).withDetails(health.getDetails()).build()
                : health;
    }
}
