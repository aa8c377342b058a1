package dev.aiagg.api.pricing;

import dev.aiagg.api.Money;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;

/**
 * What a call costs in micro-roubles. Prices are per one million tokens, so a price times a token count is already
 * in millionths of the currency; markup and exchange rate multiply it. Everything is exact in {@code BigDecimal}
 * and rounded once, half-even, to whole micro-roubles.
 */
public final class ChargeCalculator {

    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    private ChargeCalculator() {
    }

    /**
     * The charge for reported usage: prompt tokens neither read from nor written to the provider's cache at the
     * input price, cache reads at the cached-input price, cache writes at the cache-write price, completion tokens at
     * the output price.
     *
     * @param fxRate roubles per unit of {@code currency}; exactly 1 for RUB
     * @throws IllegalArgumentException for negative counts, more cached and cache-written than prompt tokens, a
     *                                  negative markup, a rate that does not fit the currency, or a charge beyond
     *                                  what a {@code long} holds
     */
    public static long charge(TokenUsage usage, ModelPrices prices, String currency, BigDecimal markupPercent,
                              BigDecimal fxRate) {
        Objects.requireNonNull(usage, "usage");
        requireCount(usage.promptTokens(), "promptTokens");
        requireCount(usage.cachedTokens(), "cachedTokens");
        requireCount(usage.cacheWriteTokens(), "cacheWriteTokens");
        requireCount(usage.completionTokens(), "completionTokens");
        if (usage.cachedTokens() > usage.promptTokens() - usage.cacheWriteTokens()) {
            throw new IllegalArgumentException("cachedTokens and cacheWriteTokens must not exceed promptTokens");
        }
        long plainInput = usage.promptTokens() - usage.cachedTokens() - usage.cacheWriteTokens();
        BigDecimal tokenCost = BigDecimal.valueOf(plainInput).multiply(prices.input())
                .add(BigDecimal.valueOf(usage.cachedTokens()).multiply(prices.cachedInput()))
                .add(BigDecimal.valueOf(usage.cacheWriteTokens()).multiply(prices.cacheWritePrice()))
                .add(BigDecimal.valueOf(usage.completionTokens()).multiply(prices.output()));
        return toMicros(tokenCost, currency, markupPercent, fxRate);
    }

    /**
     * The most a call can cost: every prompt token at the dearest input price (a prompt may be written to the cache
     * whole) and every completion token it may produce. A cost beyond what a {@code long} holds is
     * {@link Long#MAX_VALUE}, which no balance covers.
     */
    public static long maxCharge(long promptTokens, long maxCompletionTokens, ModelPrices prices, String currency,
                                 BigDecimal markupPercent, BigDecimal fxRate) {
        requireCount(promptTokens, "promptTokens");
        requireCount(maxCompletionTokens, "maxCompletionTokens");
        BigDecimal dearestInput = prices.input().max(prices.cachedInput()).max(prices.cacheWritePrice());
        BigDecimal tokenCost = BigDecimal.valueOf(promptTokens).multiply(dearestInput)
                .add(BigDecimal.valueOf(maxCompletionTokens).multiply(prices.output()));
        BigDecimal micros = exactMicros(tokenCost, currency, markupPercent, fxRate);
        return micros.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0 ? Long.MAX_VALUE : micros.longValueExact();
    }

    private static long toMicros(BigDecimal tokenCost, String currency, BigDecimal markupPercent, BigDecimal fxRate) {
        try {
            return exactMicros(tokenCost, currency, markupPercent, fxRate).longValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("the charge is too large", e);
        }
    }

    /** The cost in whole micro-roubles, rounded once, half-even. */
    private static BigDecimal exactMicros(BigDecimal tokenCost, String currency, BigDecimal markupPercent,
                                          BigDecimal fxRate) {
        Objects.requireNonNull(markupPercent, "markupPercent");
        Objects.requireNonNull(fxRate, "fxRate");
        if (markupPercent.signum() < 0) {
            throw new IllegalArgumentException("markupPercent must not be negative");
        }
        if (fxRate.signum() <= 0) {
            throw new IllegalArgumentException("fxRate must be positive");
        }
        if (Money.CURRENCY.equals(currency) && fxRate.compareTo(BigDecimal.ONE) != 0) {
            throw new IllegalArgumentException("a price in RUB takes the rate 1, not " + fxRate);
        }
        BigDecimal withMarkup = tokenCost.multiply(HUNDRED.add(markupPercent)).divide(HUNDRED);
        return withMarkup.multiply(fxRate).setScale(0, RoundingMode.HALF_EVEN);
    }

    private static void requireCount(long tokens, String name) {
        if (tokens < 0) {
            throw new IllegalArgumentException(name + " must not be negative");
        }
    }
}
