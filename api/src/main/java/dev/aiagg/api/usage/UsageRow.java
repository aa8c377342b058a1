package dev.aiagg.api.usage;

/**
 * The requests of one group: {@code group} is the day ({@code yyyy-MM-dd}), the model or the key id.
 * {@code requests} counts every call covered by the ledger, {@code failedRequests} those of them that failed before
 * the provider sent anything (they cost nothing), {@code cacheHits} those answered from the response cache.
 * {@code costMicros} is what the requests cost, {@code chargedMicros}
 * the part of it the balance paid (less only when a cost went beyond what the account could cover).
 */
public record UsageRow(String group, long requests, long failedRequests, long cacheHits, long promptTokens,
                       long cachedTokens, long completionTokens, long reasoningTokens, long costMicros,
                       long chargedMicros) {
}
