package dev.aiagg.api.usage;

import java.time.Instant;

/**
 * A company's usage from {@code from} (inclusive) to {@code to} (exclusive), grouped. Answered with
 * {@link UsageReport}, its rows ordered by group.
 */
public record FindUsage(String companyId, Instant from, Instant to, UsageGrouping groupBy) {
}
