package dev.aiagg.api.account;

import java.time.Instant;

/**
 * {@code keyBudget} is null for a hold made for no key (and in events stored before keys had budgets);
 * {@code extendableUntil} is null for a hold that cannot be extended (and in events stored before holds could be).
 */
public record FundsReserved(String accountId, String companyId, String requestId, long amountMicros,
                            Instant expiresAt, long balanceMicros, long reservedAfterMicros, KeyBudget keyBudget,
                            Instant extendableUntil) {

    /** A hold that cannot be extended. */
    public FundsReserved(String accountId, String companyId, String requestId, long amountMicros, Instant expiresAt,
                         long balanceMicros, long reservedAfterMicros, KeyBudget keyBudget) {
        this(accountId, companyId, requestId, amountMicros, expiresAt, balanceMicros, reservedAfterMicros, keyBudget,
                null);
    }
}
