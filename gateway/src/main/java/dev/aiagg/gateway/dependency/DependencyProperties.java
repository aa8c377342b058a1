package dev.aiagg.gateway.dependency;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the platform behaves while PostgreSQL or Redis is unreachable. Each has a circuit breaker: once enough calls
 * failed, calls fail (PostgreSQL: 503) or fall back (Redis) at once instead of each waiting for its timeout, and a
 * few probes after {@code wait-in-open-state} decide whether it is back.
 *
 * @param retryAfter                what a 503 for an unavailable dependency tells the client in {@code Retry-After}
 * @param migrationStatementTimeout the statement timeout of Flyway's migrations, which run on a connection of their
 *                                  own without the pool's short statement and socket timeouts
 * @param database                  the breaker in front of PostgreSQL connections
 * @param redis                     the breaker in front of Redis commands
 */
@Validated
@ConfigurationProperties("aiagg.dependencies")
public record DependencyProperties(@DefaultValue("5s") @NotNull Duration retryAfter,
                                   @DefaultValue("30m") @NotNull Duration migrationStatementTimeout,
                                   @DefaultValue @Valid @NotNull Breaker database,
                                   @DefaultValue @Valid @NotNull Breaker redis) {

    /**
     * @param failureRateThreshold     percentage of failed calls in the window that opens the circuit
     * @param slidingWindowSize        calls the rate is computed over
     * @param minimumNumberOfCalls     failed or not, calls needed before the rate counts
     * @param waitInOpenState          how long an open circuit fails calls at once before letting probes through
     * @param permittedCallsInHalfOpen probes that decide whether the circuit closes again
     */
    record Breaker(@DefaultValue("50") @DecimalMin("1") @DecimalMax("100") float failureRateThreshold,
                          @DefaultValue("10") @Min(1) int slidingWindowSize,
                          @DefaultValue("5") @Min(1) int minimumNumberOfCalls,
                          @DefaultValue("2s") @NotNull Duration waitInOpenState,
                          @DefaultValue("2") @Min(1) int permittedCallsInHalfOpen) {
    }
}
