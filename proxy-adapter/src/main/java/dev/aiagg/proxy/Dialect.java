package dev.aiagg.proxy;

/** The wire format a client speaks to us, or a provider speaks to us. */
public enum Dialect {
    /** OpenAI chat completions ({@code POST /v1/chat/completions}); OpenRouter and the demo provider speak it too. */
    OPENAI,
    /** Anthropic messages ({@code POST /v1/messages}). */
    ANTHROPIC
}
