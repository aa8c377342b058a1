package dev.aiagg.proxy.translation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aiagg.proxy.Dialect;
import dev.aiagg.proxy.Usage;
import java.math.BigDecimal;

/** Usage objects of both dialects, read into {@link Usage} and written back. */
final class UsageJson {

    private UsageJson() {
    }

    /** The usage in a response or chunk of {@code dialect}, or null when it has none. */
    static Usage read(Dialect dialect, JsonNode usage) {
        if (usage == null || !usage.isObject()) {
            return null;
        }
        if (dialect == Dialect.ANTHROPIC) {
            long input = usage.path("input_tokens").asLong();
            long read = usage.path("cache_read_input_tokens").asLong();
            long write = usage.path("cache_creation_input_tokens").asLong();
            return new Usage(input + read + write, read, write, usage.path("output_tokens").asLong(), 0, false, null);
        }
        JsonNode cost = usage.get("cost");
        return new Usage(usage.path("prompt_tokens").asLong(),
                usage.path("prompt_tokens_details").path("cached_tokens").asLong(),
                usage.path("prompt_tokens_details").path("cache_write_tokens").asLong(),
                usage.path("completion_tokens").asLong(),
                usage.path("completion_tokens_details").path("reasoning_tokens").asLong(),
                false,
                cost != null && cost.isNumber() ? cost.decimalValue() : null);
    }

    static ObjectNode openAi(Usage usage) {
        ObjectNode node = JsonNodeFactory.instance.objectNode()
                .put("prompt_tokens", usage.promptTokens())
                .put("completion_tokens", usage.completionTokens())
                .put("total_tokens", usage.totalTokens());
        node.putObject("prompt_tokens_details")
                .put("cached_tokens", usage.cachedTokens())
                .put("cache_write_tokens", usage.cacheWriteTokens());
        node.putObject("completion_tokens_details").put("reasoning_tokens", usage.reasoningTokens());
        return node;
    }

    static ObjectNode anthropic(Usage usage) {
        return JsonNodeFactory.instance.objectNode()
                .put("input_tokens", usage.promptTokens() - usage.cachedTokens() - usage.cacheWriteTokens())
                .put("output_tokens", usage.completionTokens())
                .put("cache_creation_input_tokens", usage.cacheWriteTokens())
                .put("cache_read_input_tokens", usage.cachedTokens());
    }

    /** Anthropic streams report input with message_start and the output total with message_delta. */
    static Usage merge(Usage earlier, Usage later, boolean laterHasInput) {
        if (earlier == null) {
            return later;
        }
        BigDecimal cost = later.upstreamCost() != null ? later.upstreamCost() : earlier.upstreamCost();
        return laterHasInput
                ? new Usage(later.promptTokens(), later.cachedTokens(), later.cacheWriteTokens(),
                later.completionTokens(), later.reasoningTokens(), false, cost)
                : new Usage(earlier.promptTokens(), earlier.cachedTokens(), earlier.cacheWriteTokens(),
                later.completionTokens(), later.reasoningTokens(), false, cost);
    }
}
