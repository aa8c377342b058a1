package dev.aiagg.proxy;

import static dev.aiagg.proxy.TestProxies.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aiagg.proxy.CallOutcome.Status;
import dev.aiagg.proxy.LlmProxy.ProxyResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DemoProviderTest {

    private static final Route DEMO = TestProxies.route("demo", new Deployment("demo", "demo-1", 0, 1));

    private final RoutingLlmProxy proxy = TestProxies.proxy(null);

    @AfterEach
    void close() {
        proxy.close();
    }

    private static ObjectNode request() {
        return json("{\"model\":\"demo\",\"messages\":[{\"role\":\"user\",\"content\":\"What is the capital of France?\"}]}");
    }

    @Test
    void answersPlainlyAsTheDemoAndTheSameWayEachTime() {
        ProxyResponse first = proxy.complete(DEMO, Dialect.OPENAI, request()).join();
        ProxyResponse second = proxy.complete(DEMO, Dialect.OPENAI, request()).join();

        String text = first.body().at("/choices/0/message/content").asText();
        assertThat(text).startsWith("[demo]").contains("demo provider").contains("What is the capital of France?");
        assertThat(second.body().at("/choices/0/message/content").asText()).isEqualTo(text);
        assertThat(first.body().path("id").asText()).isEqualTo(second.body().path("id").asText());
        assertThat(first.body().path("object").asText()).isEqualTo("chat.completion");
        assertThat(first.body().path("model").asText()).isEqualTo("demo");
        assertThat(first.body().at("/choices/0/finish_reason").asText()).isEqualTo("stop");
        assertThat(first.outcome().usage()).isEqualTo(new Usage(
                TestProxies.TOKENS.promptTokens(DEMO.deployments(), Dialect.OPENAI, request()), 0, 0,
                TestProxies.TOKENS.textTokens(DEMO.deployments().get(0), text), 0, false, null));
    }

    @Test
    void streamsTheSameTextInSeveralChunks() {
        String whole = proxy.complete(DEMO, Dialect.OPENAI, request()).join()
                .body().at("/choices/0/message/content").asText();
        TestProxies.RecordingSink sink = new TestProxies.RecordingSink();
        ObjectNode request = request();
        request.put("stream", true);
        request.putObject("stream_options").put("include_usage", true);

        CallOutcome outcome = proxy.stream(DEMO, Dialect.OPENAI, request, sink).join();

        assertThat(outcome.status()).isEqualTo(Status.COMPLETED);
        assertThat(outcome.usage().estimated()).isFalse();
        assertThat(outcome.usage().completionTokens()).isEqualTo(TestProxies.TOKENS.textTokens(DEMO.deployments().get(0), whole));
        List<ObjectNode> chunks = sink.data();
        String streamed = chunks.stream().map(c -> c.at("/choices/0/delta/content").asText(""))
                .collect(Collectors.joining());
        assertThat(streamed).isEqualTo(whole);
        assertThat(chunks.size()).isGreaterThan(5);
        assertThat(chunks.get(chunks.size() - 1).at("/usage/completion_tokens").asLong())
                .isEqualTo(outcome.usage().completionTokens());
        assertThat(sink.text()).endsWith("data: [DONE]\n\n");
    }

    @Test
    void servesAnthropicClientsToo() {
        TestProxies.RecordingSink sink = new TestProxies.RecordingSink();

        CallOutcome outcome = proxy.stream(DEMO, Dialect.ANTHROPIC, json("""
                {"model":"demo","max_tokens":100,"stream":true,"messages":[{"role":"user","content":"Hello"}]}"""),
                sink).join();

        assertThat(outcome.status()).isEqualTo(Status.COMPLETED);
        List<ObjectNode> events = sink.data();
        assertThat(events.get(0).path("type").asText()).isEqualTo("message_start");
        assertThat(events.get(events.size() - 1).path("type").asText()).isEqualTo("message_stop");
        assertThat(events.stream().map(e -> e.at("/delta/text").asText("")).collect(Collectors.joining()))
                .startsWith("[demo]").contains("Hello");
    }

    @Test
    void embedsDeterministically() {
        Route route = TestProxies.route("demo-embed", new Deployment("demo", "demo-embed", 0, 1));

        ProxyResponse floats = proxy.embed(route, json("{\"model\":\"demo-embed\",\"input\":[\"a\",\"b\"]}")).join();
        ProxyResponse encoded = proxy.embed(route,
                json("{\"model\":\"demo-embed\",\"input\":\"a\",\"encoding_format\":\"base64\"}")).join();

        assertThat(floats.body().path("data")).hasSize(2);
        assertThat(floats.body().at("/data/0/embedding")).hasSize(8);
        assertThat(floats.body().at("/data/0/embedding")).isNotEqualTo(floats.body().at("/data/1/embedding"));
        ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(encoded.body().at("/data/0/embedding").asText()))
                .order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 8; i++) {
            assertThat(bytes.getFloat()).isEqualTo(floats.body().at("/data/0/embedding/" + i).floatValue());
        }
        assertThat(floats.outcome().usage().promptTokens()).isEqualTo(2);
    }
}
