package dev.aiagg.proxy.translation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aiagg.proxy.Dialect;
import dev.aiagg.proxy.ProviderException;
import dev.aiagg.proxy.Usage;
import org.junit.jupiter.api.Test;

class RequestTranslatorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final RequestTranslator requests = new RequestTranslator(JSON, 1024);
    private final ResponseTranslator responses = new ResponseTranslator(JSON);

    private static ObjectNode json(String text) throws Exception {
        return (ObjectNode) JSON.readTree(text);
    }

    @Test
    void imagesTravelBothWays() throws Exception {
        ObjectNode anthropic = requests.translate(Dialect.OPENAI, Dialect.ANTHROPIC, json("""
                {"model":"m","messages":[{"role":"user","content":[{"type":"text","text":"What is it?"},
                  {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}},
                  {"type":"image_url","image_url":{"url":"https://example.com/cat.jpg"}}]}]}"""), "claude");
        assertThat(anthropic.at("/messages/0/content/1/source").toString())
                .isEqualTo("{\"type\":\"base64\",\"media_type\":\"image/png\",\"data\":\"iVBORw0KGgo=\"}");
        assertThat(anthropic.at("/messages/0/content/2/source/url").asText()).isEqualTo("https://example.com/cat.jpg");
        assertThat(anthropic.path("max_tokens").asInt()).isEqualTo(1024);

        ObjectNode openAi = requests.translate(Dialect.ANTHROPIC, Dialect.OPENAI, anthropic, "gpt-4o");
        assertThat(openAi.at("/messages/0/content/1/image_url/url").asText())
                .isEqualTo("data:image/png;base64,iVBORw0KGgo=");
        assertThat(openAi.path("model").asText()).isEqualTo("gpt-4o");
    }

    @Test
    void consecutiveUserTurnsMergeForAnthropic() throws Exception {
        ObjectNode anthropic = requests.translate(Dialect.OPENAI, Dialect.ANTHROPIC, json("""
                {"model":"m","max_completion_tokens":7,"messages":[{"role":"user","content":"a"},
                 {"role":"user","content":"b"}]}"""), "claude");
        assertThat(anthropic.path("messages")).hasSize(1);
        assertThat(anthropic.at("/messages/0/content")).hasSize(2);
        assertThat(anthropic.path("max_tokens").asInt()).isEqualTo(7);
    }

    @Test
    void severalChoicesCannotBeAskedOfAnthropic() {
        assertThatThrownBy(() -> requests.translate(Dialect.OPENAI, Dialect.ANTHROPIC, json("""
                {"model":"m","n":2,"messages":[{"role":"user","content":"a"}]}"""), "claude"))
                .isInstanceOf(ProviderException.class)
                .satisfies(e -> assertThat(((ProviderException) e).status()).isEqualTo(400));
    }

    @Test
    void stopReasonsMapBothWays() throws Exception {
        String[][] anthropicToOpenAi = {{"end_turn", "stop"}, {"stop_sequence", "stop"}, {"max_tokens", "length"},
                {"tool_use", "tool_calls"}, {"refusal", "content_filter"}, {"pause_turn", "stop"}};
        for (String[] pair : anthropicToOpenAi) {
            ObjectNode body = responses.translate(Dialect.ANTHROPIC, Dialect.OPENAI, json("""
                    {"id":"msg","type":"message","role":"assistant","content":[{"type":"text","text":"x"}],
                     "stop_reason":"%s","usage":{"input_tokens":1,"output_tokens":1}}""".formatted(pair[0])),
                    "m", Usage.NONE);
            assertThat(body.at("/choices/0/finish_reason").asText()).as(pair[0]).isEqualTo(pair[1]);
        }
        String[][] openAiToAnthropic = {{"stop", "end_turn"}, {"length", "max_tokens"}, {"tool_calls", "tool_use"},
                {"content_filter", "refusal"}};
        for (String[] pair : openAiToAnthropic) {
            ObjectNode body = responses.translate(Dialect.OPENAI, Dialect.ANTHROPIC, json("""
                    {"id":"c","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant",
                     "content":"x"},"finish_reason":"%s"}]}""".formatted(pair[0])), "m", Usage.NONE);
            assertThat(body.path("stop_reason").asText()).as(pair[0]).isEqualTo(pair[1]);
        }
    }
}
