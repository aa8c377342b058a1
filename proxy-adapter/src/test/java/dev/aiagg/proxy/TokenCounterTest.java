package dev.aiagg.proxy;

import static dev.aiagg.proxy.TestProxies.json;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TokenCounterTest {

    private final TokenCounter tokens = TestProxies.TOKENS;

    @Test
    void newerOpenAiModelsUseO200kAndOthersCl100k() {
        String text = "Привет, мир! Tokenizers differ on non-English text.";
        long o200k = tokens.textTokens("gpt-4o", text);
        assertThat(tokens.textTokens("gpt-4.1-mini", text)).isEqualTo(o200k);
        assertThat(tokens.textTokens("openai/gpt-5", text)).isEqualTo(o200k);
        assertThat(tokens.textTokens("o3-mini", text)).isEqualTo(o200k);
        assertThat(tokens.textTokens("gpt-4", text)).isNotEqualTo(o200k);
        assertThat(tokens.textTokens("claude-sonnet-4", text)).isEqualTo(tokens.textTokens("gpt-4", text));
    }

    @Test
    void specialTokenTextIsCountedAsOrdinaryText() {
        assertThat(tokens.textTokens("gpt-4o", "<|endoftext|>")).isGreaterThan(1);
    }

    @Test
    void chatOverheadIsThreePerMessagePlusThree() {
        long hello = tokens.textTokens("gpt-4o", "Hello");
        long hi = tokens.textTokens("gpt-4o", "Hi");
        assertThat(tokens.promptTokens(Dialect.OPENAI, json("""
                {"model":"gpt-4o","messages":[{"role":"user","content":"Hello"},
                 {"role":"assistant","content":[{"type":"text","text":"Hi"}]}]}""")))
                .isEqualTo(3 + 3 + hello + 3 + hi);
        assertThat(tokens.promptTokens(Dialect.ANTHROPIC, json("""
                {"model":"gpt-4o","system":"Hello","messages":[{"role":"user","content":"Hi"}]}""")))
                .isEqualTo(3 + 3 + hello + 3 + hi);
    }

    @Test
    void toolsAndToolCallsCount() {
        long bare = tokens.promptTokens(Dialect.OPENAI, json("""
                {"model":"gpt-4o","messages":[{"role":"user","content":"Hi"}]}"""));
        long withTools = tokens.promptTokens(Dialect.OPENAI, json("""
                {"model":"gpt-4o","messages":[{"role":"user","content":"Hi"}],
                 "tools":[{"type":"function","function":{"name":"weather","parameters":{"type":"object"}}}]}"""));
        assertThat(withTools).isGreaterThan(bare + 5);
    }
}
