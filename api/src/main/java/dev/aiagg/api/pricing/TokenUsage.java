package dev.aiagg.api.pricing;

/**
 * Tokens of one call as the provider reports them; {@code cachedTokens} (read from the provider's prompt cache) and
 * {@code cacheWriteTokens} (written to it) are both part of {@code promptTokens}.
 */
public record TokenUsage(long promptTokens, long cachedTokens, long cacheWriteTokens, long completionTokens) {

    public TokenUsage(long promptTokens, long cachedTokens, long completionTokens) {
        this(promptTokens, cachedTokens, 0, completionTokens);
    }
}
