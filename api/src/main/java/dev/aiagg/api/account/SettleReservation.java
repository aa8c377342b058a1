package dev.aiagg.api.account;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Charge the actual cost of a reserved request (it may be below or above the hold); idempotent by {@code requestId}.
 * {@code details}, when given, are carried into the event for usage reports.
 */
public record SettleReservation(@TargetAggregateIdentifier String accountId, String requestId, long costMicros,
                                String description, ChargeDetails details) {
}
