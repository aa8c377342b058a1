package dev.aiagg.api.account;

import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * What a settled call was: the key and model, where it ran, the tokens it used (estimated when the provider
 * reported none), the price version and exchange rate it was charged at, how long it took and how it ended
 * ({@code outcome}: {@code COMPLETED}, {@code CLIENT_GONE}, {@code FAILED_MID_STREAM}, or {@value #FAILED} for a call
 * whose every attempt failed before the provider sent anything, charged nothing).
 */
public record ChargeDetails(String keyId, String model, String deployment, long promptTokens, long cachedTokens,
                            long completionTokens, long reasoningTokens, boolean estimated, boolean cacheHit,
                            long priceVersion, BigDecimal fxRate, LocalDate fxDate, long latencyMillis,
                            String outcome) {

    public static final String FAILED = "FAILED";
}
