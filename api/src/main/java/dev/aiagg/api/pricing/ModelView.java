package dev.aiagg.api.pricing;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** A model as routing and pricing read it; deployments in the order they were defined. */
public record ModelView(String modelId, List<ModelDeployment> deployments, ModelPrices prices, String currency,
                        BigDecimal markupPercent, Integer defaultCompletionCap, long priceVersion,
                        Instant updatedAt) {
}
