package dev.aiagg.api.account;

import java.time.Instant;

/** {@code keyBudget} is null for a hold made for no key (and in events stored before keys had budgets). */
public record FundsReserved(String accountId, String companyId, String requestId, long amountMicros,
                            Instant expiresAt, long balanceMicros, long reservedAfterMicros, KeyBudget keyBudget) {
}
