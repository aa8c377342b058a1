package dev.aiagg.api.pricing;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Take a model out of the catalogue; an unknown or removed model is not found. */
public record RemoveModel(@TargetAggregateIdentifier String modelId, String removedBy) {
}
