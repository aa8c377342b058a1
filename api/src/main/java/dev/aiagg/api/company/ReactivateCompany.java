package dev.aiagg.api.company;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record ReactivateCompany(@TargetAggregateIdentifier String companyId, String operator) {
}
