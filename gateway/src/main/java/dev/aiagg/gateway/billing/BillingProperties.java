package dev.aiagg.gateway.billing;

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
 * The billing engine's settings; they keep the {@code aiagg.llm} prefix the LLM API's calls are configured under.
 *
 * @param reservationTtl       how long a hold lives if it is never released (the node died); the expiry sweep then
 *                             gives it back with a ReservationExpired event. A hold takes new calls for half of it
 * @param holdCalls            how many calls at the current call's maximum cost a new hold covers
 * @param holdIdle             how long a hold no call draws from stays open before it is released
 * @param chargeFlushInterval  how often the charges of ended calls are sent to the ledger, in one command per hold;
 *                             should the node die, the charges of at most this long are lost with it
 * @param usdRubRate           roubles per US dollar for prices in USD, until the CBR rates client lands
 * @param usdRubRateDate       the date that rate applies to, recorded with every charge
 * @param cacheHitRate         share of the normal price charged for a cached answer: 0 (free, the default) to 1
 */
@Validated
@ConfigurationProperties("aiagg.llm")
record BillingProperties(@DefaultValue("10m") @NotNull Duration reservationTtl,
                         @DefaultValue("32") @Positive int holdCalls,
                         @DefaultValue("2s") @NotNull Duration holdIdle,
                         @DefaultValue("100ms") @NotNull Duration chargeFlushInterval,
                         @DefaultValue("82.1665") @NotNull @Positive BigDecimal usdRubRate,
                         @DefaultValue("2026-11-25") @NotNull LocalDate usdRubRateDate,
                         @DefaultValue("0") @NotNull @DecimalMin("0") @DecimalMax("1") BigDecimal cacheHitRate) {
}
