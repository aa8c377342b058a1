package dev.aiagg.api.pricing;

import java.math.BigDecimal;

/**
 * Prices per one million tokens in the model's currency, before markup. {@code cacheWrite} is the price of input
 * written to the provider's prompt cache (Anthropic's cache creation); null means {@value #CACHE_WRITE_FACTOR} times
 * the input price, as Anthropic prices its five-minute cache, and is what models defined before it existed have.
 */
public record ModelPrices(BigDecimal input, BigDecimal cachedInput, BigDecimal output, BigDecimal cacheWrite) {

    public static final String CACHE_WRITE_FACTOR = "1.25";

    public ModelPrices(BigDecimal input, BigDecimal cachedInput, BigDecimal output) {
        this(input, cachedInput, output, null);
    }

    /** The price cache writes are charged at: the one set, else {@value #CACHE_WRITE_FACTOR} × input. */
    public BigDecimal cacheWritePrice() {
        return cacheWrite != null ? cacheWrite : input.multiply(new BigDecimal(CACHE_WRITE_FACTOR));
    }
}
