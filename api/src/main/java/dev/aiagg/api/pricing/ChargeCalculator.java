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
     * The charge for reported usage: uncached prompt tokens at the input price, cached ones at the cached-input
     * price, completion tokens at the output price.
     *
     * @param fxRate roubles per unit of {@code currency}; exactly 1 for RUB
     * @throws IllegalArgumentException for negative counts, more cached than prompt tokens, a negative markup or
     *                                  a rate that does not fit the currency
     */
    public static long charge(TokenUsage usage, ModelPrices prices, String currency, BigDecimal markupPercent,
                              BigDecimal fxRate) {
        Objects.requireNonNull(usage, "usage");
        requireCount(usage.promptTokens(), "promptTokens");
        requireCount(usage.cachedTokens(), "cachedTokens");
        requireCount(usage.completionTokens(), "completionTokens");
        if (usage.cachedTokens() > usage.promptTokens()) {
            throw new IllegalArgumentException("cachedTokens must not exceed promptTokens");
        }
        BigDecimal tokenCost = BigDecimal.valueOf(usage.promptTokens() - usage.cachedTokens()).multiply(prices.input())
                .add(BigDecimal.valueOf(usage.cachedTokens()).multiply(prices.cachedInput()))
                .add(BigDecimal.valueOf(usage.completionTokens()).multiply(prices.output()));
        return toMicros(tokenCost, currency, markupPercent, fxRate);
    }

    /** The most a call can cost: its whole prompt uncached and every completion token it may produce. */
    public static long maxCharge(long promptTokens, long maxCompletionTokens, ModelPrices prices, String currency,
                                 BigDecimal markupPercent, BigDecimal fxRate) {
        return charge(new TokenUsage(promptTokens, 0, maxCompletionTokens), prices, currency, markupPercent, fxRate);
    }

    private static long toMicros(BigDecimal tokenCost, String currency, BigDecimal markupPercent, BigDecimal fxRate) {
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
        try {
            return withMarkup.multiply(fxRate).setScale(0, RoundingMode.HALF_EVEN).longValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("the charge is too large", e);
        }
    }

    private static void requireCount(long tokens, String name) {
        if (tokens < 0) {
            throw new IllegalArgumentException(name + " must not be negative");
        }
    }
}
