package dev.aiagg.api.pricing;

import java.math.BigDecimal;
import java.util.List;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Define a model or change its definition. New prices, currency or markup make a new price version; new
 * deployments or completion cap alone keep the version; an unchanged definition changes nothing.
 * {@code defaultCompletionCap} (nullable) is the number of answer tokens reserved when a request names no maximum.
 */
public record DefineModel(@TargetAggregateIdentifier String modelId, List<ModelDeployment> deployments,
                          ModelPrices prices, String currency, BigDecimal markupPercent,
                          Integer defaultCompletionCap, String definedBy) {
}
