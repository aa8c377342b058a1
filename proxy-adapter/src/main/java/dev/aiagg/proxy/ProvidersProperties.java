package dev.aiagg.proxy;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where each provider is and its key. A provider without a key is not configured: its deployments fail at once
 * with 503 and the router moves on. Base URLs are written as each provider documents them.
 */
@Validated
@ConfigurationProperties("aiagg.providers")
record ProvidersProperties(
        @DefaultValue @Valid @NotNull OpenAi openai,
        @DefaultValue @Valid @NotNull Anthropic anthropic,
        @DefaultValue @Valid @NotNull OpenRouter openrouter,
        @DefaultValue @Valid @NotNull Demo demo) {

    record OpenAi(@DefaultValue("https://api.openai.com/v1") @NotBlank String baseUrl, String apiKey) {
    }

    record Anthropic(@DefaultValue("https://api.anthropic.com") @NotBlank String baseUrl, String apiKey) {
    }

    /**
     * @param referer sent as {@code HTTP-Referer}, to attribute our traffic on OpenRouter, when set
     * @param title   sent as {@code X-OpenRouter-Title} and its older name {@code X-Title}, when set
     */
    record OpenRouter(@DefaultValue("https://openrouter.ai/api/v1") @NotBlank String baseUrl, String apiKey,
                             String referer, String title) {
    }

    /** @param chunkDelay pause between streamed chunks, so the demo streams like a model */
    record Demo(@DefaultValue("false") boolean enabled, @DefaultValue("15ms") @NotNull Duration chunkDelay) {
    }
}
