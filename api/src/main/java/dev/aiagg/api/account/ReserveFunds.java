package dev.aiagg.api.account;

import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Hold funds for a request until it is settled, released or expires; idempotent by {@code requestId}. With a
 * {@code keyBudget} the hold also counts against that key's monthly budget. A hold with an
 * {@code extendableUntil} is a lease: {@link ExtendReservation} may move its expiry, never past that instant; a hold
 * without one expires at {@code expiresAt}.
 */
public record ReserveFunds(@TargetAggregateIdentifier String accountId, String companyId, String requestId,
                           long amountMicros, Instant expiresAt, KeyBudget keyBudget, Instant extendableUntil) {

    /** A hold that expires at {@code expiresAt} and cannot be extended. */
    public ReserveFunds(String accountId, String companyId, String requestId, long amountMicros, Instant expiresAt,
                        KeyBudget keyBudget) {
        this(accountId, companyId, requestId, amountMicros, expiresAt, keyBudget, null);
    }
}
