package dev.aiagg.api.account;

import java.time.Instant;

/** A hold passed its expiry without being settled or released, and was given back. */
public record ReservationExpired(String accountId, String companyId, String requestId, long amountMicros,
                                 Instant expiredAt, long reservedAfterMicros) {
}
