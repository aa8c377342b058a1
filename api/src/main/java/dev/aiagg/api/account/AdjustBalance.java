package dev.aiagg.api.account;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** An operator's manual correction, positive or negative; idempotent by {@code adjustmentId}. */
public record AdjustBalance(@TargetAggregateIdentifier String accountId, String companyId, String adjustmentId,
                            long amountMicros, String reason, String operator) {
}
