package dev.aiagg.proxy;

import static dev.aiagg.proxy.FakeUpstream.data;
import static dev.aiagg.proxy.FakeUpstream.event;
import static dev.aiagg.proxy.TestProxies.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aiagg.proxy.CallOutcome.Status;
import dev.aiagg.proxy.LlmProxy.ProxyResponse;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How streams end: completed, the client gone, the provider failing or falling silent, usage missing. */
class StreamingIT {

    private static final Deployment OPENAI = new Deployment("openai", "gpt-4o", 0, 1);
    private static final Deployment OPENROUTER = new Deployment("openrouter", "anthropic/claude-sonnet-4", 0, 1);
    private static final String HEAD = "\"id\":\"chatcmpl-x\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o\"";

    private final FakeUpstream upstream = new FakeUpstream();
    private final RoutingLlmProxy proxy = TestProxies.proxy(upstream);

    StreamingIT() throws Exception {
    }

    @AfterEach
    void close() {
        proxy.close();
        upstream.close();
    }

    private static String content(String text) {
        return data("{" + HEAD + ",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + text
                + "\"},\"finish_reason\":null}]}");
    }

    private static String role() {
        return data("{" + HEAD + ",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}");
    }

    private static String finish() {
        return data("{" + HEAD + ",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}");
    }

    private static ObjectNode openAiRequest() {
        return json("""
                {"model":"gpt-4o","stream":true,"stream_options":{"include_usage":true},
                 "messages":[{"role":"system","content":"You are terse."},{"role":"user","content":"Count to forty."}]}""");
    }

    private CallOutcome stream(Deployment deployment, ObjectNode request, StreamSink sink) {
        return proxy.stream(TestProxies.route("gpt-4o", deployment), Dialect.OPENAI, request, sink).join();
    }

    @Test
    void aClientThatLeavesCancelsTheUpstreamAndIsChargedForWhatWasGenerated() throws Exception {
        List<String> frames = new ArrayList<>(List.of(role()));
        for (int i = 1; i <= 40; i++) {
            frames.add(content(i + " "));
        }
        frames.add(finish());
        frames.add("data: [DONE]\n\n");
        upstream.then(FakeUpstream.sse(Duration.ofMillis(30), frames.toArray(String[]::new)));
        TestProxies.RecordingSink sink = new TestProxies.RecordingSink(3);

        CallOutcome outcome = stream(OPENAI, openAiRequest(), sink);

        assertThat(outcome.status()).isEqualTo(Status.CLIENT_GONE);
        assertThat(sink.frames).hasSize(3);
        assertThat(outcome.usage().estimated()).isTrue();
        assertThat(outcome.usage().promptTokens())
                .isEqualTo(TestProxies.TOKENS.promptTokens(List.of(OPENAI), Dialect.OPENAI, openAiRequest()));
        assertThat(outcome.usage().completionTokens()).isBetween(3L, 6L);
        assertThat(outcome.upstreamId()).isEqualTo("chatcmpl-x");
        assertThat(upstream.cutByClient.await(3, TimeUnit.SECONDS)).as("upstream connection closed").isTrue();
    }

    @Test
    void aStreamLongerThanTheHeaderTimeLimitRunsToItsEnd() {
        List<String> frames = new ArrayList<>(List.of(role()));
        for (int i = 1; i <= 20; i++) {
            frames.add(content(i + " "));
        }
        frames.add(finish());
        frames.add("data: [DONE]\n\n");
        upstream.then(FakeUpstream.sse(Duration.ofMillis(80), frames.toArray(String[]::new)));
        TestProxies.RecordingSink sink = new TestProxies.RecordingSink();

        long start = System.nanoTime();
        CallOutcome outcome = stream(OPENAI, openAiRequest(), sink);

        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .isGreaterThan(TestProxies.properties().firstByteTimeout().multipliedBy(2));
        assertThat(outcome.status()).isEqualTo(Status.COMPLETED);
        assertThat(sink.data().stream().map(c -> c.at("/choices/0/delta/content").asText("")))
                .filteredOn(text -> !text.isEmpty()).hasSize(20);
    }

    @Test
    void aSinkThatThrowsCountsAsAClientThatLeft() {
        upstream.then(FakeUpstream.sse(Duration.ofMillis(20), role(), content("a"), content("b"), finish(),
                "data: [DONE]\n\n"));

        CallOutcome outcome = stream(OPENAI, openAiRequest(), event -> {
            throw new IllegalStateException("response already closed");
        });

        assertThat(outcome.status()).isEqualTo(Status.CLIENT_GONE);
        assertThat(outcome.usage().estimated()).isTrue();
    }

    @Test
    void missingUsageIsEstimatedAndMarked() {
        upstream.then(FakeUpstream.sse(role(), content("Hello there, "), content("general Kenobi."), finish(),
                "data: [DONE]\n\n"));
        TestProxies.RecordingSink sink = new TestProxies.RecordingSink();

        CallOutcome outcome = stream(OPENAI, openAiRequest(), sink);

        assertThat(outcome.status()).isEqualTo(Status.COMPLETED);
        Usage expected = new Usage(TestProxies.TOKENS.promptTokens(List.of(OPENAI), Dialect.OPENAI, openAiRequest()), 0, 0,
                TestProxies.TOKENS.textTokens(OPENAI, "Hello there, general Kenobi."), 0, true, null);
        assertThat(outcome.usage()).isEqualTo(expected);
        ObjectNode usageChunk = sink.data().get(sink.data().size() - 1);
        assertThat(usageChunk.path("choices")).isEmpty();
        assertThat(usageChunk.at("/usage/completion_tokens").asLong()).isEqualTo(expected.completionTokens());
    }

    @Test
    void anUpstreamErrorMidStreamReachesTheClientInItsDialect() {
        upstream.then(FakeUpstream.sse(role(), content("Partial "),
                data("{\"error\":{\"message\":\"The server had an error while processing your request.\",\"type\":\"server_error\",\"param\":null,\"code\":null}}")));
        TestProxies.RecordingSink sink = new TestProxies.RecordingSink();

        CallOutcome outcome = stream(OPENAI, openAiRequest(), sink);

        assertThat(outcome.status()).isEqualTo(Status.FAILED_MID_STREAM);
        assertThat(outcome.error().status()).isEqualTo(502);
        assertThat(outcome.usage().estimated()).isTrue();
        assertThat(outcome.usage().completionTokens()).isEqualTo(TestProxies.TOKENS.textTokens(OPENAI, "Partial "));
        ObjectNode last = sink.data().get(sink.data().size() - 1);
        assertThat(last.at("/error/type").asText()).isEqualTo("server_error");
        assertThat(last.at("/error/message").asText()).contains("The server had an error");
        assertThat(last.path("error").has("param")).isTrue();
        assertThat(last.path("error").has("code")).isTrue();
        assertThat(sink.text()).doesNotContain("[DONE]");
        assertThat(upstream.received()).hasSize(1);
    }

    @Test
    void anAnthropicClientGetsAnErrorEventWhenAnthropicFailsMidStream() {
        upstream.then(FakeUpstream.sse(
                event("message_start", """
                        {"type":"message_start","message":{"id":"msg_e","type":"message","role":"assistant","model":"claude","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":21,"output_tokens":1}}}"""),
                event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"),
                event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Some words\"}}"),
                event("error", "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}")));
        TestProxies.RecordingSink sink = new TestProxies.RecordingSink();

        CallOutcome outcome = proxy.stream(TestProxies.route("claude", new Deployment("anthropic", "claude", 0, 1)),
                Dialect.ANTHROPIC, json("""
                        {"model":"claude","max_tokens":100,"stream":true,"messages":[{"role":"user","content":"Hi"}]}"""),
                sink).join();

        assertThat(outcome.status()).isEqualTo(Status.FAILED_MID_STREAM);
        assertThat(outcome.error().status()).isEqualTo(503);
        assertThat(outcome.usage().promptTokens()).as("reported by message_start").isEqualTo(21);
        assertThat(outcome.usage().completionTokens()).isEqualTo(TestProxies.TOKENS.textTokens(new Deployment("anthropic", "claude", 0, 1), "Some words"));
        assertThat(outcome.usage().estimated()).isTrue();
        String last = sink.frames.get(sink.frames.size() - 1);
        assertThat(last).startsWith("event: error\n");
        assertThat(sink.data().get(sink.data().size() - 1).at("/error/type").asText()).isEqualTo("overloaded_error");
    }

    @Test
    void aStreamThatFallsSilentFailsAfterTheIdleTimeout() {
        upstream.then(FakeUpstream.sse(Duration.ofSeconds(3), role(), content("Thinking")));
        TestProxies.RecordingSink sink = new TestProxies.RecordingSink();

        long start = System.nanoTime();
        CallOutcome outcome = stream(OPENAI, openAiRequest(), sink);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2500));
        assertThat(outcome.status()).isEqualTo(Status.FAILED_MID_STREAM);
        assertThat(outcome.error().status()).isEqualTo(504);
        assertThat(sink.data().get(sink.data().size() - 1).at("/error/message").asText()).contains("sent nothing");
    }

    @Test
    void aStreamCutBeforeItsEndIsAMidStreamFailure() {
        upstream.then(FakeUpstream.sse(role(), content("Half an ans")));
        TestProxies.RecordingSink sink = new TestProxies.RecordingSink();

        CallOutcome outcome = stream(OPENAI, openAiRequest(), sink);

        assertThat(outcome.status()).isEqualTo(Status.FAILED_MID_STREAM);
        assertThat(outcome.error().status()).isEqualTo(502);
        assertThat(outcome.usage().estimated()).isTrue();
    }

    @Test
    void anEndedStreamLeavesNoTimerBehindToHoldIt() throws Exception {
        ScheduledThreadPoolExecutor timers = (ScheduledThreadPoolExecutor) ProxyConfiguration.scheduler();
        try (FakeUpstream fake = new FakeUpstream();
             RoutingLlmProxy timed = TestProxies.proxy(fake, TestProxies.properties(), timers)) {
            fake.then(FakeUpstream.sse(role(), content("Done."), finish(), "data: [DONE]\n\n"))
                    .then(FakeUpstream.sse(Duration.ofMillis(20), role(), content("a"), content("b"), finish(),
                            "data: [DONE]\n\n"))
                    .then(FakeUpstream.sse(role(), content("Half an ans")));
            List<Status> ended = new ArrayList<>();
            for (StreamSink sink : List.of(new TestProxies.RecordingSink(), new TestProxies.RecordingSink(1),
                    new TestProxies.RecordingSink())) {
                ended.add(timed.stream(TestProxies.route("gpt-4o", OPENAI), Dialect.OPENAI, openAiRequest(), sink)
                        .join().status());
            }

            assertThat(ended).containsExactly(Status.COMPLETED, Status.CLIENT_GONE, Status.FAILED_MID_STREAM);
            // Each stream watched for silence for the idle timeout (700 ms here); an ended one no longer does.
            assertThat(timers.getQueue()).isEmpty();
        }
    }

    @Test
    void aStreamStillRunningAtTheCallsTimeLimitEndsWithAnErrorEventAndIsChargedForWhatWasGenerated() throws Exception {
        ProxyProperties base = TestProxies.properties();
        try (FakeUpstream fake = new FakeUpstream();
             RoutingLlmProxy limited = TestProxies.proxy(fake, new ProxyProperties(base.connectTimeout(),
                     base.firstByteTimeout(), base.idleTimeout(), base.responseTimeout(), Duration.ofSeconds(1),
                     4096, base.retry(), base.circuitBreaker()))) {
            // Ten seconds of answer, a frame every 50 ms: well within the idle timeout, far beyond the call's limit.
            fake.then(FakeUpstream.sse(Duration.ofMillis(50), countingFrames(200)));
            TestProxies.RecordingSink sink = new TestProxies.RecordingSink();

            long start = System.nanoTime();
            CallOutcome outcome = limited.stream(TestProxies.route("gpt-4o", OPENAI), Dialect.OPENAI,
                    openAiRequest(), sink).join();

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofSeconds(1),
                    Duration.ofSeconds(5));
            assertThat(outcome.status()).isEqualTo(Status.FAILED_MID_STREAM);
            assertThat(outcome.error().status()).isEqualTo(504);
            assertThat(outcome.usage().completionTokens()).as("what was generated is charged").isPositive();
            assertThat(sink.data().get(sink.data().size() - 1).at("/error/message").asText()).contains("time limit");
            assertThat(sink.text()).doesNotContain("[DONE]");
        }
    }

    @Test
    void aPlainAnswerStillBeingReadAtTheCallsTimeLimitFails() throws Exception {
        ProxyProperties base = TestProxies.properties();
        try (FakeUpstream fake = new FakeUpstream();
             RoutingLlmProxy limited = TestProxies.proxy(fake, new ProxyProperties(base.connectTimeout(),
                     base.firstByteTimeout(), base.idleTimeout(), base.responseTimeout(), Duration.ofMillis(500),
                     4096, base.retry(), base.circuitBreaker()))) {
            fake.then(exchange -> {
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, 0);
                exchange.getResponseBody().write("{\"id\":\"chatcmpl-slow\",".getBytes());
                exchange.getResponseBody().flush();
                Thread.sleep(2_000);
            });

            long start = System.nanoTime();
            ProxyResponse answer = limited.complete(TestProxies.route("gpt-4o", OPENAI), Dialect.OPENAI,
                    json("{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")).join();

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1500));
            assertThat(answer.outcome().status()).isEqualTo(Status.FAILED);
            assertThat(answer.body()).isNull();
        }
    }

    @Test
    void endingEveryCallCutsAStreamWithAnErrorEventAndFailsACallStillWaitingForItsProvider() throws Exception {
        upstream.then(FakeUpstream.sse(Duration.ofMillis(50), countingFrames(100)))
                .then(FakeUpstream.late(Duration.ofSeconds(2), FakeUpstream.sse(countingFrames(3))));
        TestProxies.RecordingSink streaming = new TestProxies.RecordingSink();
        TestProxies.RecordingSink waiting = new TestProxies.RecordingSink();
        var first = proxy.stream(TestProxies.route("gpt-4o", OPENAI), Dialect.OPENAI, openAiRequest(), streaming);
        while (streaming.frames.size() < 3) {
            Thread.sleep(10);
        }
        var second = proxy.stream(TestProxies.route("gpt-4o", OPENAI), Dialect.OPENAI, openAiRequest(), waiting);
        Thread.sleep(100);

        long ending = System.nanoTime();
        proxy.endCalls(new ProviderException(503, "server_error", "The server is shutting down.",
                Duration.ofSeconds(1)));
        CallOutcome cut = first.get(1, TimeUnit.SECONDS);
        CallOutcome refused = second.get(1, TimeUnit.SECONDS);

        assertThat(Duration.ofNanos(System.nanoTime() - ending)).isLessThan(Duration.ofMillis(500));
        assertThat(cut.status()).isEqualTo(Status.FAILED_MID_STREAM);
        assertThat(cut.usage().completionTokens()).isPositive();
        assertThat(streaming.data().get(streaming.data().size() - 1).at("/error/message").asText())
                .isEqualTo("The server is shutting down.");
        assertThat(refused.status()).isEqualTo(Status.FAILED);
        assertThat(refused.error().status()).isEqualTo(503);
        assertThat(refused.error().retryAfter()).isEqualTo(Duration.ofSeconds(1));
        Thread.sleep(2_200);
        assertThat(waiting.frames).as("the answer that came after the end went nowhere").isEmpty();
    }

    private static String[] countingFrames(int count) {
        List<String> frames = new ArrayList<>(List.of(role()));
        for (int i = 1; i <= count; i++) {
            frames.add(content(i + " "));
        }
        frames.add(finish());
        frames.add("data: [DONE]\n\n");
        return frames.toArray(String[]::new);
    }

    private static String openRouterChunk(String delta, String finishReason) {
        return data("{\"id\":\"gen-1\",\"provider\":\"Anthropic\",\"model\":\"anthropic/claude-sonnet-4\",\"object\":\"chat.completion.chunk\",\"created\":1,"
                + "\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":" + finishReason
                + ",\"native_finish_reason\":" + finishReason + "}]}");
    }

    @Test
    void openRouterErrorBeforeAnyContentIsRetriedAndItsCostIsRead() {
        upstream.then(FakeUpstream.sse(": OPENROUTER PROCESSING\n\n",
                        data("{\"id\":\"gen-0\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"anthropic/claude-sonnet-4\","
                                + "\"error\":{\"code\":502,\"message\":\"Provider returned error\"},"
                                + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\"},\"finish_reason\":\"error\"}]}")))
                .then(FakeUpstream.sse(": OPENROUTER PROCESSING\n\n",
                        openRouterChunk("{\"role\":\"assistant\",\"content\":\"\"}", "null"),
                        ": OPENROUTER PROCESSING\n\n",
                        openRouterChunk("{\"role\":\"assistant\",\"content\":\"Bonjour\"}", "null"),
                        openRouterChunk("{\"role\":\"assistant\",\"content\":\"\"}", "\"stop\""),
                        data("{\"id\":\"gen-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"anthropic/claude-sonnet-4\",\"choices\":[],"
                                + "\"usage\":{\"prompt_tokens\":14,\"completion_tokens\":3,\"total_tokens\":17,\"cost\":0.000087,"
                                + "\"is_byok\":false,\"prompt_tokens_details\":{\"cached_tokens\":0,\"cache_write_tokens\":2},"
                                + "\"completion_tokens_details\":{\"reasoning_tokens\":0}}}"),
                        "data: [DONE]\n\n"));
        TestProxies.RecordingSink sink = new TestProxies.RecordingSink();

        CallOutcome outcome = stream(OPENROUTER, openAiRequest(), sink);

        assertThat(outcome.status()).isEqualTo(Status.COMPLETED);
        assertThat(outcome.attempts()).isEqualTo(2);
        assertThat(outcome.usage()).isEqualTo(new Usage(14, 0, 2, 3, 0, false, new BigDecimal("0.000087")));
        assertThat(sink.text()).doesNotContain("error").doesNotContain("OPENROUTER");
        assertThat(sink.data().get(1).at("/choices/0/delta/content").asText()).isEqualTo("Bonjour");
        assertThat(sink.data()).allSatisfy(chunk -> assertThat(chunk.path("model").asText()).isEqualTo("gpt-4o"));
        FakeUpstream.Received sent = upstream.received().get(0);
        assertThat(sent.path()).isEqualTo("/openrouter/api/v1/chat/completions");
        assertThat(sent.headers().getFirst("Authorization")).isEqualTo("Bearer sk-or");
        assertThat(sent.headers().getFirst("HTTP-Referer")).isEqualTo("https://aiagg.dev");
        assertThat(sent.headers().getFirst("X-OpenRouter-Title")).isEqualTo("AI Aggregator");
        assertThat(sent.headers().getFirst("X-Title")).isEqualTo("AI Aggregator");
        assertThat(sent.body().path("model").asText()).isEqualTo("anthropic/claude-sonnet-4");
    }

    @Test
    void openRouterErrorAfterContentEndsTheStreamWithAnError() {
        upstream.then(FakeUpstream.sse(
                openRouterChunk("{\"role\":\"assistant\",\"content\":\"Bon\"}", "null"),
                data("{\"id\":\"gen-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"anthropic/claude-sonnet-4\","
                        + "\"error\":{\"code\":429,\"message\":\"Rate limit exceeded upstream\"},"
                        + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\"},\"finish_reason\":\"error\"}]}")));
        TestProxies.RecordingSink sink = new TestProxies.RecordingSink();

        CallOutcome outcome = stream(OPENROUTER, openAiRequest(), sink);

        assertThat(outcome.status()).isEqualTo(Status.FAILED_MID_STREAM);
        assertThat(outcome.error().status()).isEqualTo(503);
        assertThat(sink.data().get(sink.data().size() - 1).at("/error/message").asText())
                .contains("Rate limit exceeded upstream");
        assertThat(upstream.received()).hasSize(1);
    }

    @Test
    void openRouterCostIsReadFromANonStreamingAnswer() {
        upstream.then(FakeUpstream.json(200, """
                {"id":"gen-9","provider":"OpenAI","model":"openai/gpt-4o","object":"chat.completion","created":1,
                 "choices":[{"index":0,"finish_reason":"stop","native_finish_reason":"stop",
                             "message":{"role":"assistant","content":"Hi"}}],
                 "usage":{"prompt_tokens":8,"completion_tokens":1,"total_tokens":9,"cost":0.0000425}}"""));

        ProxyResponse response = proxy.complete(TestProxies.route("gpt-4o", OPENROUTER), Dialect.OPENAI,
                json("{\"model\":\"gpt-4o\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")).join();

        assertThat(response.outcome().usage().upstreamCost()).isEqualByComparingTo("0.0000425");
        assertThat(response.body().at("/choices/0/message/refusal").isNull()).isTrue();
        assertThat(response.body().path("object").asText()).isEqualTo("chat.completion");
        assertThat(upstream.received().get(0).body().path("max_tokens").asInt())
                .as("OpenRouter keeps max_tokens").isEqualTo(5);
    }
}
