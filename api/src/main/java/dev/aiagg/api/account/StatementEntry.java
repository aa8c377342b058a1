package dev.aiagg.api.account;

import java.time.Instant;

/** {@code entry} increases with every entry of the company and serves as the page cursor. */
public record StatementEntry(long entry, Instant occurredAt, StatementEntryType type, String reference,
                             long amountMicros, long balanceAfterMicros, String description) {
}
