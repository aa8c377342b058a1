package dev.aiagg.api.pricing;

/** Tokens of one call as the provider reports them; {@code cachedTokens} are part of {@code promptTokens}. */
public record TokenUsage(long promptTokens, long cachedTokens, long completionTokens) {
}
