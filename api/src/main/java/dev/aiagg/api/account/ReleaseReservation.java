package dev.aiagg.api.account;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Give a hold back without charging; idempotent by {@code requestId}. */
public record ReleaseReservation(@TargetAggregateIdentifier String accountId, String requestId, String reason) {
}
