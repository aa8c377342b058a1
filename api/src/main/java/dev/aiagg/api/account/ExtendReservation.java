package dev.aiagg.api.account;

import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Renew the lease of an open hold: its expiry moves to {@code expiresAt}, or to the hold's {@code extendableUntil}
 * when that comes first; an expiry already as late changes nothing. Refused for a hold that is no longer open
 * ({@code reservation_closed}: released, settled or expired) or was made without a lease
 * ({@code reservation_not_extendable}).
 */
public record ExtendReservation(@TargetAggregateIdentifier String accountId, String requestId, Instant expiresAt) {
}
