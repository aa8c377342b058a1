package dev.aiagg.api.account;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Credit a confirmed payment; idempotent by {@code paymentId}. */
public record CreditTopUp(@TargetAggregateIdentifier String accountId, String companyId, String paymentId,
                          long amountMicros) {
}
