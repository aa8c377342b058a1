package dev.aiagg.api.account;

import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * What a settled call was: the key and model, where it ran, the tokens it used (estimated when the provider
 * reported none), the price version and exchange rate it was charged at, how long it took and how it ended
 * ({@code outcome}: {@code COMPLETED}, {@code CLIENT_GONE}, {@code FAILED_MID_STREAM}, or {@value #FAILED} for a call
 * whose every attempt failed before the provider sent anything, charged nothing). {@code cachedTokens} and
 * {@code cacheWriteTokens} (read from and written to the provider's prompt cache, each at its own price) are part of
 * {@code promptTokens}; charges recorded before cache writes were priced have none.
 */
public record ChargeDetails(String keyId, String model, String deployment, long promptTokens, long cachedTokens,
                            long completionTokens, long reasoningTokens, boolean estimated, boolean cacheHit,
                            long priceVersion, BigDecimal fxRate, LocalDate fxDate, long latencyMillis,
                            String outcome, long cacheWriteTokens) {

    public static final String FAILED = "FAILED";

    /** A call without cache writes. */
    public ChargeDetails(String keyId, String model, String deployment, long promptTokens, long cachedTokens,
                         long completionTokens, long reasoningTokens, boolean estimated, boolean cacheHit,
                         long priceVersion, BigDecimal fxRate, LocalDate fxDate, long latencyMillis, String outcome) {
        this(keyId, model, deployment, promptTokens, cachedTokens, completionTokens, reasoningTokens, estimated,
                cacheHit, priceVersion, fxRate, fxDate, latencyMillis, outcome, 0);
    }
}
