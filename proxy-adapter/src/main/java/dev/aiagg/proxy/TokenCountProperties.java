package dev.aiagg.proxy;

import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How far token counting may go for one request before it takes the cheap upper bound (a byte-level BPE never makes
 * more tokens than the text has UTF-8 bytes) instead of the tokenizer, whose time grows with a request's size and,
 * on a run of characters without a break, its memory too.
 *
 * @param exactLimit    characters of one request counted with the tokenizer (every text of the request together,
 *                      once per tokenizer its deployments use); the texts beyond it are counted by the bound
 * @param maxRun        the longest run of letters, of punctuation or of white space a text may have and still be
 *                      counted with the tokenizer; a text with a longer one is counted by the bound
 * @param foreignFactor what the count of OpenAI's tokenizer is multiplied by for a model whose own tokenizer is not at
 *                      hand (Anthropic, and OpenRouter's models of other vendors); never above the bound
 */
@Validated
@ConfigurationProperties("aiagg.proxy.token-count")
record TokenCountProperties(
        @DefaultValue("1000000") @Min(0) int exactLimit,
        @DefaultValue("256") @Min(1) int maxRun,
        @DefaultValue("1.4") @DecimalMin("1") double foreignFactor) {

    static final TokenCountProperties DEFAULTS = new TokenCountProperties(1_000_000, 256, 1.4);
}
