package dev.aiagg.proxy;

import static dev.aiagg.proxy.FakeUpstream.data;
import static dev.aiagg.proxy.TestProxies.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aiagg.proxy.CallOutcome.Status;
import dev.aiagg.proxy.LlmProxy.ProxyResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OpenAiProviderIT {

    private static final Deployment OPENAI = new Deployment("openai", "gpt-4o-2024-08-06", 0, 1);
    private static final Route ROUTE = TestProxies.route("gpt-4o", OPENAI);

    private final FakeUpstream upstream = new FakeUpstream();
    private final RoutingLlmProxy proxy = TestProxies.proxy(upstream);

    OpenAiProviderIT() throws Exception {
    }

    @AfterEach
    void close() {
        proxy.close();
        upstream.close();
    }

    static final String COMPLETION = """
            {"id":"chatcmpl-abc","object":"chat.completion","created":1732000000,"model":"gpt-4o-2024-08-06",
             "choices":[{"index":0,"message":{"role":"assistant","content":"Hello!","refusal":null},
                         "logprobs":null,"finish_reason":"stop"}],
             "usage":{"prompt_tokens":12,"completion_tokens":3,"total_tokens":15,
                      "prompt_tokens_details":{"cached_tokens":4},
                      "completion_tokens_details":{"reasoning_tokens":0}},
             "system_fingerprint":"fp_1"}""";

    @Test
    void aNonStreamingAnswerPassesThroughWithThePublicModel() {
        upstream.then(FakeUpstream.json(200, COMPLETION));
        ObjectNode request = json("""
                {"model":"gpt-4o","messages":[{"role":"user","content":"Hi"}],"max_tokens":50,
                 "stream_options":{"include_usage":true}}""");

        ProxyResponse response = proxy.complete(ROUTE, Dialect.OPENAI, request).join();

        assertThat(response.outcome().status()).isEqualTo(Status.COMPLETED);
        assertThat(response.body().path("model").asText()).isEqualTo("gpt-4o");
        assertThat(response.body().path("id").asText()).isEqualTo("chatcmpl-abc");
        assertThat(response.body().path("system_fingerprint").asText()).isEqualTo("fp_1");
        assertThat(response.body().at("/choices/0/message/content").asText()).isEqualTo("Hello!");
        assertThat(response.outcome().usage()).isEqualTo(new Usage(12, 4, 0, 3, 0, false, null));
        assertThat(response.outcome().upstreamId()).isEqualTo("chatcmpl-abc");
        assertThat(response.outcome().deployment()).isEqualTo(OPENAI);
        assertThat(response.outcome().attempts()).isEqualTo(1);

        FakeUpstream.Received sent = upstream.received().get(0);
        assertThat(sent.path()).isEqualTo("/openai/v1/chat/completions");
        assertThat(sent.headers().getFirst("Authorization")).isEqualTo("Bearer sk-openai");
        assertThat(sent.body().path("model").asText()).isEqualTo("gpt-4o-2024-08-06");
        assertThat(sent.body().path("stream").asBoolean()).isFalse();
        assertThat(sent.body().has("stream_options")).isFalse();
        assertThat(sent.body().path("max_completion_tokens").asInt()).isEqualTo(50);
        assertThat(sent.body().has("max_tokens")).isFalse();
        assertThat(request.path("model").asText()).as("the client's request is left alone").isEqualTo("gpt-4o");
    }

    @Test
    void eachProviderGetsExactlyOneCapInItsOwnFieldTheCompletionCapWinning() {
        Deployment openRouter = new Deployment("openrouter", "openai/gpt-4o", 0, 1);
        String both = """
                {"model":"gpt-4o","messages":[{"role":"user","content":"Hi"}],"max_tokens":500,
                 "max_completion_tokens":50}""";
        upstream.then(FakeUpstream.json(200, COMPLETION));
        upstream.then(FakeUpstream.json(200, COMPLETION));

        proxy.complete(ROUTE, Dialect.OPENAI, json(both)).join();
        proxy.complete(TestProxies.route("gpt-4o", openRouter), Dialect.OPENAI, json(both)).join();

        JsonNode toOpenAi = upstream.received().get(0).body();
        assertThat(toOpenAi.path("max_completion_tokens").asInt()).isEqualTo(50);
        assertThat(toOpenAi.has("max_tokens")).isFalse();
        JsonNode toOpenRouter = upstream.received().get(1).body();
        assertThat(toOpenRouter.path("max_tokens").asInt()).isEqualTo(50);
        assertThat(toOpenRouter.has("max_completion_tokens")).isFalse();
    }

    static final String[] STREAM = {
            data("""
                    {"id":"chatcmpl-s1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-2024-08-06","choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}],"usage":null}"""),
            data("""
                    {"id":"chatcmpl-s1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-2024-08-06","choices":[{"index":0,"delta":{"content":"Hel"},"logprobs":null,"finish_reason":null}],"usage":null}"""),
            data("""
                    {"id":"chatcmpl-s1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-2024-08-06","choices":[{"index":0,"delta":{"content":"lo"},"logprobs":null,"finish_reason":null}],"usage":null}"""),
            data("""
                    {"id":"chatcmpl-s1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-2024-08-06","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}],"usage":null}"""),
            data("""
                    {"id":"chatcmpl-s1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-2024-08-06","choices":[],"usage":{"prompt_tokens":9,"completion_tokens":2,"total_tokens":11,"prompt_tokens_details":{"cached_tokens":0},"completion_tokens_details":{"reasoning_tokens":0}}}"""),
            "data: [DONE]\n\n"};

    @Test
    void aStreamPassesThroughWithTheUsageChunkTheClientAskedFor() {
        upstream.then(FakeUpstream.sse(STREAM));
        TestProxies.RecordingSink sink = new TestProxies.RecordingSink();

        CallOutcome outcome = proxy.stream(ROUTE, Dialect.OPENAI, json("""
                {"model":"gpt-4o","stream":true,"stream_options":{"include_usage":true},
                 "messages":[{"role":"user","content":"Hi"}]}"""), sink).join();

        assertThat(outcome.status()).isEqualTo(Status.COMPLETED);
        assertThat(outcome.usage()).isEqualTo(new Usage(9, 0, 0, 2, 0, false, null));
        assertThat(outcome.upstreamId()).isEqualTo("chatcmpl-s1");
        List<ObjectNode> chunks = sink.data();
        assertThat(chunks).hasSize(5);
        assertThat(chunks).allSatisfy(chunk -> {
            assertThat(chunk.path("model").asText()).isEqualTo("gpt-4o");
            assertThat(chunk.path("object").asText()).isEqualTo("chat.completion.chunk");
            assertThat(chunk.has("usage")).isTrue();
        });
        assertThat(chunks.get(0).at("/choices/0/delta/role").asText()).isEqualTo("assistant");
        assertThat(chunks.get(3).at("/choices/0/finish_reason").asText()).isEqualTo("stop");
        assertThat(chunks.get(4).path("choices")).isEmpty();
        assertThat(chunks.get(4).at("/usage/prompt_tokens").asInt()).isEqualTo(9);
        assertThat(chunks.get(4).at("/usage/total_tokens").asInt()).isEqualTo(11);
        assertThat(sink.frames.get(sink.frames.size() - 1)).isEqualTo("data: [DONE]\n\n");
        assertThat(sink.frames).allSatisfy(frame -> assertThat(frame).endsWith("\n\n"));
        JsonNode sent = upstream.received().get(0).body();
        assertThat(sent.path("stream").asBoolean()).isTrue();
        assertThat(sent.at("/stream_options/include_usage").asBoolean()).isTrue();
    }

    @Test
    void usageIsAlwaysAskedForButOnlyShownWhenTheClientAsked() {
        upstream.then(FakeUpstream.sse(STREAM));
        TestProxies.RecordingSink sink = new TestProxies.RecordingSink();

        CallOutcome outcome = proxy.stream(ROUTE, Dialect.OPENAI, json("""
                {"model":"gpt-4o","stream":true,"messages":[{"role":"user","content":"Hi"}]}"""), sink).join();

        assertThat(outcome.usage().promptTokens()).isEqualTo(9);
        assertThat(upstream.received().get(0).body().at("/stream_options/include_usage").asBoolean()).isTrue();
        assertThat(sink.data()).hasSize(4).allSatisfy(chunk -> {
            assertThat(chunk.has("usage")).isFalse();
            assertThat(chunk.path("choices")).isNotEmpty();
        });
        assertThat(sink.text()).endsWith("data: [DONE]\n\n");
    }

    @Test
    void embeddingsAreAskedAsFloatsAndEncodedAsBase64WhenTheClientWantsIt() {
        String answer = """
                {"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.25,-1.5,3.0]}],
                 "model":"text-embedding-3-small","usage":{"prompt_tokens":5,"total_tokens":5}}""";
        upstream.then(FakeUpstream.json(200, answer)).then(FakeUpstream.json(200, answer));
        Route route = TestProxies.route("text-embedding-3-small",
                new Deployment("openai", "text-embedding-3-small", 0, 1));

        ProxyResponse floats = proxy.embed(route, json("""
                {"model":"text-embedding-3-small","input":"hello"}""")).join();
        ProxyResponse encoded = proxy.embed(route, json("""
                {"model":"text-embedding-3-small","input":["hello"],"encoding_format":"base64"}""")).join();

        assertThat(floats.body().at("/data/0/embedding/1").floatValue()).isEqualTo(-1.5f);
        assertThat(floats.outcome().usage()).isEqualTo(new Usage(5, 0, 0, 0, 0, false, null));
        ByteBuffer decoded = ByteBuffer.wrap(Base64.getDecoder().decode(encoded.body().at("/data/0/embedding").asText()))
                .order(ByteOrder.LITTLE_ENDIAN);
        assertThat(decoded.remaining()).isEqualTo(12);
        assertThat(new float[]{decoded.getFloat(), decoded.getFloat(), decoded.getFloat()})
                .containsExactly(0.25f, -1.5f, 3.0f);
        assertThat(upstream.received()).allSatisfy(received -> {
            assertThat(received.path()).isEqualTo("/openai/v1/embeddings");
            assertThat(received.body().path("encoding_format").asText()).isEqualTo("float");
        });
        assertThat(encoded.body().path("model").asText()).isEqualTo("text-embedding-3-small");
    }
}
