package dev.aiagg.api.account;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * An operator's manual correction, positive or negative; idempotent by {@code adjustmentId}: a repeat with the same
 * amount and reason changes nothing and is answered as the first was, one with another amount or reason is refused
 * ({@code idempotency_key_reused}). Answered with the balance right after the adjustment, in micro-roubles.
 */
public record AdjustBalance(@TargetAggregateIdentifier String accountId, String companyId, String adjustmentId,
                            long amountMicros, String reason, String operator) {
}
