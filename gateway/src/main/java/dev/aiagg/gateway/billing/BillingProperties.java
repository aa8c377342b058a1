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
 * @param holdLease             how long a hold lives unless this node renews it; a node renews its holds when half
 *                              of it is left, so the holds of a node that died lapse within a lease (plus the
 *                              expiry sweep's interval)
 * @param holdMaxLifetime       the most a hold can be renewed to, counted from its reservation; a hold takes new
 *                              calls only while a whole call ({@code aiagg.proxy.max-call-duration}) and a lease
 *                              still fit before it
 * @param holdCalls             how many calls at the current call's maximum cost a new hold covers
 * @param holdIdle              how long a hold no call draws from stays open before it is released
 * @param chargeFlushInterval   how often the charges of ended calls are sent to the ledger, in one command per hold;
 *                              should the node die, the charges of at most this long are lost with it
 * @param maxUndeliveredCharges charges this node may hold that the ledger has not stored yet (while it is down, say);
 *                              once as many are waiting, the node admits no new call (503) rather than forget one
 * @param ledgerTimeout         the longest a call waits for the ledger to grant it a hold before it is answered 503,
 *                              and the longest a batch of charges waits before it is sent again
 * @param usdRubRate            roubles per US dollar for prices in USD, until the CBR rates client lands
 * @param usdRubRateDate        the date that rate applies to, recorded with every charge
 * @param cacheHitRate          share of the normal price charged for a cached answer: 0 (free, the default) to 1
 */
@Validated
@ConfigurationProperties("aiagg.llm")
record BillingProperties(@DefaultValue("20s") @NotNull Duration holdLease,
                                @DefaultValue("15m") @NotNull Duration holdMaxLifetime,
                                @DefaultValue("32") @Positive int holdCalls,
                                @DefaultValue("2s") @NotNull Duration holdIdle,
                                @DefaultValue("100ms") @NotNull Duration chargeFlushInterval,
                                @DefaultValue("100000") @Positive int maxUndeliveredCharges,
                                @DefaultValue("5s") @NotNull Duration ledgerTimeout,
                                @DefaultValue("82.1665") @NotNull @Positive BigDecimal usdRubRate,
                                @DefaultValue("2026-11-25") @NotNull LocalDate usdRubRateDate,
                                @DefaultValue("0") @NotNull @DecimalMin("0") @DecimalMax("1")
                                BigDecimal cacheHitRate) {
}
