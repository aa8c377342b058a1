package dev.aiagg.api.company;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record SuspendCompany(@TargetAggregateIdentifier String companyId, String reason, String operator) {
}
