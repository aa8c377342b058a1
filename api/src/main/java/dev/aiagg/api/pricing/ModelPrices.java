package dev.aiagg.api.pricing;

import java.math.BigDecimal;

/** Prices per one million tokens in the model's currency, before markup. */
public record ModelPrices(BigDecimal input, BigDecimal cachedInput, BigDecimal output) {
}
