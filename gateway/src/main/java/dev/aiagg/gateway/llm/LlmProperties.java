package dev.aiagg.gateway.llm;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The LLM API's settings; the billing engine's, under the same prefix, are {@code billing.BillingProperties}.
 *
 * @param defaultCompletionCap completion tokens reserved when neither the request nor the model names a cap
 * @param maxCompletionCap     the largest completion cap ({@code max_tokens}, {@code max_completion_tokens}) a
 *                             request may name: above it the request is refused with 400, as providers refuse a cap
 *                             beyond a model's output limit (the largest today is 128k tokens); it keeps holds and
 *                             token counts far from overflowing
 * @param rateLimitStore       {@code memory} (one node) or {@code redis} (shared by every node)
 * @param cacheStore           where cached answers live: {@code memory} or {@code redis}
 * @param cacheTtl             how long a cached answer is served
 * @param readModelCacheLifetime how long a key's grant and a model's prices are reused without asking the read
 *                             models again; a revocation or a new price is seen that much later (keep well under 1s)
 * @param admissionDeadline    the longest a call may take from its arrival to the moment the provider is called,
 *                             not counting the time its body takes to arrive; a call that took longer (it waited on a
 *                             slow database, say) is not sent to the provider, costs nothing and answers 503
 * @param shutdownGrace        how long calls in flight may go on once shutdown has begun (new calls get 503 at
 *                             once); those still running then are ended with an error event and charged for what
 *                             they generated
 */
@Validated
@ConfigurationProperties("aiagg.llm")
record LlmProperties(@DefaultValue("4096") @Positive int defaultCompletionCap,
                     @DefaultValue("1000000") @Positive int maxCompletionCap,
                     @DefaultValue("memory") @NotNull String rateLimitStore,
                     @DefaultValue("memory") @NotNull String cacheStore,
                     @DefaultValue("1h") @NotNull Duration cacheTtl,
                     @DefaultValue("250ms") @NotNull Duration readModelCacheLifetime,
                     @DefaultValue("5s") @NotNull Duration admissionDeadline,
                     @DefaultValue("30s") @NotNull Duration shutdownGrace) {
}
