package dev.aiagg.api.account;

import java.time.Instant;

/**
 * One page of a company's statement, oldest first. {@code from} is inclusive, {@code to} exclusive, both optional;
 * {@code type} optional; {@code afterEntry} is the cursor: the entry number the previous page ended with.
 */
public record FindStatement(String companyId, Instant from, Instant to, StatementEntryType type, Long afterEntry,
                            int limit) {
}
