package dev.aiagg.api.account;

import java.time.Instant;

public record FundsReserved(String accountId, String companyId, String requestId, long amountMicros,
                            Instant expiresAt, long balanceMicros, long reservedAfterMicros) {
}
