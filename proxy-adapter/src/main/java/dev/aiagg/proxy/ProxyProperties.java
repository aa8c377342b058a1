package dev.aiagg.proxy;

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
 * Timeouts, retries and circuit breakers of every provider call.
 *
 * @param connectTimeout   opening a connection to a provider
 * @param firstByteTimeout from sending a request to the provider's status and headers (the time limiter)
 * @param idleTimeout      longest silence inside a stream before it counts as failed
 * @param responseTimeout  reading a whole non-streaming answer once its headers are in
 * @param maxCallDuration  the longest a whole call may last, retries and stream included; a stream still running
 *                         then ends with an error event (charged for what was generated), any other call fails
 * @param defaultMaxTokens Anthropic's required {@code max_tokens} when an OpenAI client set no limit
 */
@Validated
@ConfigurationProperties("aiagg.proxy")
public record ProxyProperties(
        @DefaultValue("5s") @NotNull Duration connectTimeout,
        @DefaultValue("30s") @NotNull Duration firstByteTimeout,
        @DefaultValue("60s") @NotNull Duration idleTimeout,
        @DefaultValue("10m") @NotNull Duration responseTimeout,
        @DefaultValue("10m") @NotNull Duration maxCallDuration,
        @DefaultValue("4096") @Min(1) int defaultMaxTokens,
        @DefaultValue @Valid @NotNull Retry retry,
        @DefaultValue @Valid @NotNull CircuitBreaker circuitBreaker) {

    /**
     * Retries of one deployment before falling back to the next: exponential backoff with full jitter.
     *
     * @param maxAttempts   attempts per deployment, the first included
     * @param baseDelay     the backoff before the second attempt is drawn from [0, baseDelay]
     * @param maxDelay      cap of the doubling backoff
     * @param maxRetryAfter the longest {@code Retry-After} waited for; a longer one moves on to the next deployment
     */
    record Retry(
            @DefaultValue("2") @Min(1) int maxAttempts,
            @DefaultValue("100ms") @NotNull Duration baseDelay,
            @DefaultValue("2s") @NotNull Duration maxDelay,
            @DefaultValue("5s") @NotNull Duration maxRetryAfter) {
    }

    /**
     * One breaker per deployment, counting failed calls in a sliding window of calls.
     *
     * @param failureRateThreshold      percentage of failed calls that opens the circuit
     * @param slidingWindowSize         calls the rate is computed over
     * @param minimumNumberOfCalls      calls needed before the rate counts
     * @param waitInOpenState           how long an open circuit refuses calls before letting probes through
     * @param permittedCallsInHalfOpen  probes that decide whether the circuit closes again
     */
    record CircuitBreaker(
            @DefaultValue("50") @DecimalMin("1") @DecimalMax("100") float failureRateThreshold,
            @DefaultValue("20") @Min(1) int slidingWindowSize,
            @DefaultValue("10") @Min(1) int minimumNumberOfCalls,
            @DefaultValue("30s") @NotNull Duration waitInOpenState,
            @DefaultValue("2") @Min(1) int permittedCallsInHalfOpen) {
    }
}
