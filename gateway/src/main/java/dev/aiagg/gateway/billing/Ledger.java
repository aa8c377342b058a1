package dev.aiagg.gateway.billing;

import dev.aiagg.api.DomainException;
import dev.aiagg.api.account.ChargeAgainstHold.CallCharge;
import dev.aiagg.api.account.KeyBudget;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The ledger as the billing engine uses it: holds reserved, renewed, charged against and released. Each future
 * fails with the ledger's {@link dev.aiagg.api.DomainException} when a business rule refuses the operation, and with
 * anything else when the ledger could not be reached. Every operation is idempotent by its ids.
 */
interface Ledger {

    CompletableFuture<?> reserve(String companyId, String holdId, long amountMicros, Instant expiresAt,
                                 Instant extendableUntil, KeyBudget keyBudget);

    CompletableFuture<?> extend(String companyId, String holdId, Instant expiresAt);

    CompletableFuture<?> charge(String companyId, String holdId, List<CallCharge> charges);

    CompletableFuture<?> release(String companyId, String holdId, String reason);

    /** The ledger's refusal behind a failure, however wrapped; null when it failed otherwise. */
    static DomainException refusal(Throwable thrown) {
        for (Throwable cause = thrown; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof DomainException refusal) {
                return refusal;
            }
        }
        return null;
    }
}
