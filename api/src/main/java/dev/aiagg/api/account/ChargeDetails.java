package dev.aiagg.api.account;

import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * What a settled call was: the key and model, where it ran, the tokens it used (estimated when the provider
 * reported none), the price version and exchange rate it was charged at, how long it took and how it ended.
 */
public record ChargeDetails(String keyId, String model, String deployment, long promptTokens, long cachedTokens,
                            long completionTokens, long reasoningTokens, boolean estimated, boolean cacheHit,
                            long priceVersion, BigDecimal fxRate, LocalDate fxDate, long latencyMillis,
                            String outcome) {
}
