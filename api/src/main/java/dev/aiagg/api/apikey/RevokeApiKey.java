package dev.aiagg.api.apikey;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record RevokeApiKey(@TargetAggregateIdentifier String keyId, String companyId, String revokedBy) {
}
