package dev.aiagg.api.pricing;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** A model as routing and pricing read it: deployments by priority, then as defined. */
public record ModelView(String modelId, List<ModelDeployment> deployments, ModelPrices prices, String currency,
                        BigDecimal markupPercent, Integer defaultCompletionCap, long priceVersion,
                        Instant updatedAt) {
}
