package dev.aiagg.proxy;

import java.math.BigDecimal;

/**
 * Tokens of one call, in OpenAI's terms whatever the provider.
 *
 * @param promptTokens     every input token, cached ones included (Anthropic: input + cache read + cache creation)
 * @param cachedTokens     input tokens read from the provider's prompt cache (part of promptTokens)
 * @param cacheWriteTokens input tokens written to the provider's prompt cache (part of promptTokens)
 * @param completionTokens every output token, reasoning included
 * @param reasoningTokens  output tokens spent on reasoning (part of completionTokens)
 * @param estimated        true when the provider reported no usage and it was counted with a tokenizer
 * @param upstreamCost     what the provider says the call cost in its currency (OpenRouter's {@code usage.cost}),
 *                         or null
 */
public record Usage(long promptTokens, long cachedTokens, long cacheWriteTokens, long completionTokens,
                    long reasoningTokens, boolean estimated, BigDecimal upstreamCost) {

    public static final Usage NONE = new Usage(0, 0, 0, 0, 0, false, null);

    public long totalTokens() {
        return promptTokens + completionTokens;
    }
}
