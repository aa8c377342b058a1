package dev.aiagg.api.account;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Give back every hold whose expiry has passed, each with {@link ReservationExpired}; nothing happens when none
 * is due. Sent by the expiry sweep, so that a hold never settled is released without waiting for the account's
 * next operation.
 */
public record ExpireOverdueReservations(@TargetAggregateIdentifier String accountId) {
}
