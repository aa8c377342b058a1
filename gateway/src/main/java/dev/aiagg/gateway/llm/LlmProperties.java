package dev.aiagg.gateway.llm;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * @param reservationTtl       how long a hold lives if it is never released (the node died); the expiry sweep then
 *                             gives it back with a ReservationExpired event. A hold takes new calls for half of it
 * @param holdCalls            how many calls at the current call's maximum cost a new hold covers
 * @param holdIdle             how long a hold no call draws from stays open before it is released
 * @param chargeFlushInterval  how often the charges of ended calls are sent to the ledger, in one command per hold;
 *                             should the node die, the charges of at most this long are lost with it
 * @param defaultCompletionCap completion tokens reserved when neither the request nor the model names a cap
 * @param usdRubRate           roubles per US dollar for prices in USD, until the CBR rates client lands
 * @param usdRubRateDate       the date that rate applies to, recorded with every charge
 * @param rateLimitStore       {@code memory} (one node) or {@code redis} (shared by every node)
 * @param cacheStore           where cached answers live: {@code memory} or {@code redis}
 * @param cacheTtl             how long a cached answer is served
 * @param cacheHitRate         share of the normal price charged for a cached answer: 0 (free, the default) to 1
 * @param readModelCacheLifetime how long a key's grant and a model's prices are reused without asking the read
 *                             models again; a revocation or a new price is seen that much later (keep well under 1s)
 * @param admissionDeadline    the longest a call may take from its arrival to the moment the provider is called,
 *                             not counting the time its body takes to arrive; a call that took longer (it waited on a
 *                             slow database, say) is not sent to the provider, costs nothing and answers 503
 */
@Validated
@ConfigurationProperties("aiagg.llm")
record LlmProperties(@DefaultValue("10m") @NotNull Duration reservationTtl,
                     @DefaultValue("32") @Positive int holdCalls,
                     @DefaultValue("2s") @NotNull Duration holdIdle,
                     @DefaultValue("100ms") @NotNull Duration chargeFlushInterval,
                     @DefaultValue("4096") @Positive int defaultCompletionCap,
                     @DefaultValue("82.1665") @NotNull @Positive BigDecimal usdRubRate,
                     @DefaultValue("2026-11-25") @NotNull LocalDate usdRubRateDate,
                     @DefaultValue("memory") @NotNull String rateLimitStore,
                     @DefaultValue("memory") @NotNull String cacheStore,
                     @DefaultValue("1h") @NotNull Duration cacheTtl,
                     @DefaultValue("0") @NotNull @DecimalMin("0") @DecimalMax("1") BigDecimal cacheHitRate,
                     @DefaultValue("250ms") @NotNull Duration readModelCacheLifetime,
                     @DefaultValue("5s") @NotNull Duration admissionDeadline) {
}
