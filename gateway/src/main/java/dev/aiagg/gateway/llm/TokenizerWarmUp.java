package dev.aiagg.gateway.llm;

import dev.aiagg.proxy.Deployment;
import dev.aiagg.proxy.TokenCounter;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Loads both tokenizer vocabularies at start, so the first LLM call does not wait seconds for them. */
@Component
class TokenizerWarmUp {

    private final TokenCounter tokens;

    TokenizerWarmUp(TokenCounter tokens) {
        this.tokens = tokens;
    }

    @EventListener(ApplicationReadyEvent.class)
    void loadVocabularies() {
        tokens.textTokens(new Deployment("openai", "gpt-4o", 0, 1), "warm up");
        tokens.textTokens(new Deployment("openai", "gpt-4", 0, 1), "warm up");
    }
}
