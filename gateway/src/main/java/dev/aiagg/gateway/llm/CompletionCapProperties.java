package dev.aiagg.gateway.llm;

import jakarta.validation.constraints.Positive;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * @param maxCompletionCap the largest completion cap ({@code max_tokens}, {@code max_completion_tokens}) a request may
 *                         name: above it the request is refused with 400, as providers refuse a cap beyond a model's
 *                         output limit (the largest today is 128k tokens); it keeps holds and token counts far from
 *                         overflowing
 */
@Validated
@ConfigurationProperties("aiagg.llm")
record CompletionCapProperties(@DefaultValue("1000000") @Positive int maxCompletionCap) {
}
