package dev.aiagg.api.account;

import java.time.Instant;

/** Accounts holding a reservation that expired at or before {@code at}, at most {@code limit} of them. */
public record FindAccountsWithOverdueReservations(Instant at, int limit) {
}
