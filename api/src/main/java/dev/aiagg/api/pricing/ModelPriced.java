package dev.aiagg.api.pricing;

import java.math.BigDecimal;
import java.util.List;

/** A model was defined with a new price version; it carries the whole definition. */
public record ModelPriced(String modelId, List<ModelDeployment> deployments, ModelPrices prices, String currency,
                          BigDecimal markupPercent, Integer defaultCompletionCap, long priceVersion,
                          String definedBy) {
}
