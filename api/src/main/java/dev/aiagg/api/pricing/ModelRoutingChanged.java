package dev.aiagg.api.pricing;

import java.util.List;

/** A model's deployments or default completion cap changed; its prices and price version did not. */
public record ModelRoutingChanged(String modelId, List<ModelDeployment> deployments, Integer defaultCompletionCap,
                                  long priceVersion, String definedBy) {
}
