package dev.aiagg.api.account;

import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Hold funds for a request until it is settled, released or expires; idempotent by {@code requestId}. With a
 * {@code keyBudget} the hold also counts against that key's monthly budget.
 */
public record ReserveFunds(@TargetAggregateIdentifier String accountId, String companyId, String requestId,
                           long amountMicros, Instant expiresAt, KeyBudget keyBudget) {
}
