package dev.aiagg.proxy.translation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aiagg.proxy.Dialect;
import dev.aiagg.proxy.ProviderException;
import dev.aiagg.proxy.Usage;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
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
    void pdfsTravelBothWaysAsDocumentsAndInlineFiles() throws Exception {
        ObjectNode anthropic = requests.translate(Dialect.OPENAI, Dialect.ANTHROPIC, json("""
                {"model":"m","messages":[{"role":"user","content":[{"type":"text","text":"Summarise"},
                  {"type":"file","file":{"filename":"q3.pdf","file_data":"data:application/pdf;base64,JVBERi0x"}},
                  {"type":"file","file":{"file_data":"JVBERi0y"}}]}]}"""), "claude");
        assertThat(anthropic.at("/messages/0/content/1").toString()).isEqualTo("{\"type\":\"document\","
                + "\"source\":{\"type\":\"base64\",\"media_type\":\"application/pdf\",\"data\":\"JVBERi0x\"},"
                + "\"title\":\"q3.pdf\"}");
        assertThat(anthropic.at("/messages/0/content/2/source/data").asText()).isEqualTo("JVBERi0y");

        ObjectNode openAi = requests.translate(Dialect.ANTHROPIC, Dialect.OPENAI, anthropic, "gpt-4o");
        assertThat(openAi.at("/messages/0/content/1").toString()).isEqualTo("{\"type\":\"file\",\"file\":"
                + "{\"filename\":\"q3.pdf\",\"file_data\":\"data:application/pdf;base64,JVBERi0x\"}}");
        assertThat(openAi.at("/messages/0/content/2/file/filename").asText()).isEqualTo("document.pdf");
    }

    @Test
    void aPlainTextDocumentReachesOpenAiAsText() throws Exception {
        ObjectNode openAi = requests.translate(Dialect.ANTHROPIC, Dialect.OPENAI, json("""
                {"model":"m","max_tokens":10,"messages":[{"role":"user","content":[
                  {"type":"document","source":{"type":"text","media_type":"text/plain","data":"Clause 7: none."}},
                  {"type":"text","text":"What does clause 7 say?"}]}]}"""), "gpt-4o");
        assertThat(openAi.at("/messages/0/content/0").toString())
                .isEqualTo("{\"type\":\"text\",\"text\":\"Clause 7: none.\"}");
    }

    @Test
    void earlierReasoningIsLeftOutForOpenAi() throws Exception {
        ObjectNode openAi = requests.translate(Dialect.ANTHROPIC, Dialect.OPENAI, json("""
                {"model":"m","max_tokens":10,"messages":[{"role":"user","content":"2+2?"},
                 {"role":"assistant","content":[{"type":"thinking","thinking":"Add.","signature":"c2ln"},
                   {"type":"redacted_thinking","data":"e30="},{"type":"text","text":"4"}]},
                 {"role":"user","content":"And 3+3?"}]}"""), "gpt-4o");
        assertThat(openAi.at("/messages/1").toString()).isEqualTo("{\"role\":\"assistant\",\"content\":\"4\"}");
    }

    @Test
    void contentThatCannotBeCarriedIsRefusedNotDropped() {
        String[] openAiParts = {
                "{\"type\":\"file\",\"file\":{\"file_id\":\"file-abc\"}}",
                "{\"type\":\"file\",\"file\":{\"file_data\":\"data:text/csv;base64,YSxi\"}}",
                "{\"type\":\"input_audio\",\"input_audio\":{\"data\":\"UklGRg==\",\"format\":\"wav\"}}"};
        for (String part : openAiParts) {
            assertRefused(() -> requests.translate(Dialect.OPENAI, Dialect.ANTHROPIC,
                    json("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[" + part + "]}]}"),
                    "claude"));
        }
        String[] anthropicBlocks = {
                "{\"type\":\"document\",\"source\":{\"type\":\"url\",\"url\":\"https://example.com/a.pdf\"}}",
                "{\"type\":\"search_result\",\"source\":\"https://example.com\",\"title\":\"t\",\"content\":[]}"};
        for (String block : anthropicBlocks) {
            assertRefused(() -> requests.translate(Dialect.ANTHROPIC, Dialect.OPENAI,
                    json("{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":["
                            + block + "]}]}"), "gpt-4o"));
        }
    }

    private static void assertRefused(ThrowingCallable translation) {
        assertThatThrownBy(translation).isInstanceOf(ProviderException.class).satisfies(e -> {
            assertThat(((ProviderException) e).status()).isEqualTo(400);
            assertThat(e.getMessage()).contains("cannot be sent to this model");
        });
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
