package dev.aiagg.api.account;

import java.time.Instant;

/** The lease of an open hold was renewed: it now expires at {@code expiresAt}. */
public record ReservationExtended(String accountId, String companyId, String requestId, Instant expiresAt) {
}
