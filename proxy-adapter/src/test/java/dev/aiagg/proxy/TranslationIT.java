package dev.aiagg.proxy;

import static dev.aiagg.proxy.FakeUpstream.data;
import static dev.aiagg.proxy.FakeUpstream.event;
import static dev.aiagg.proxy.TestProxies.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aiagg.proxy.CallOutcome.Status;
import dev.aiagg.proxy.LlmProxy.ProxyResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** An OpenAI client served by Anthropic, and an Anthropic client served by OpenAI, with and without streaming. */
class TranslationIT {

    private static final Route CLAUDE = TestProxies.route("claude-sonnet-4",
            new Deployment("anthropic", "claude-sonnet-4-20250514", 0, 1));
    private static final Route GPT = TestProxies.route("gpt-4.1", new Deployment("openai", "gpt-4.1", 0, 1));

    private final FakeUpstream upstream = new FakeUpstream();
    private final RoutingLlmProxy proxy = TestProxies.proxy(upstream);

    TranslationIT() throws Exception {
    }

    @AfterEach
    void close() {
        proxy.close();
        upstream.close();
    }

    private static final String OPENAI_TOOL_CONVERSATION = """
            {"model":"claude-sonnet-4","stream":false,
             "messages":[
               {"role":"system","content":"Be brief."},
               {"role":"developer","content":[{"type":"text","text":"Use tools."}]},
               {"role":"user","content":"Weather in Paris?"},
               {"role":"assistant","content":null,"tool_calls":[{"id":"toolu_1","type":"function",
                  "function":{"name":"weather","arguments":"{\\"city\\":\\"Paris\\"}"}}]},
               {"role":"tool","tool_call_id":"toolu_1","content":"18C, sunny"},
               {"role":"user","content":"And in Rome?"}],
             "tools":[{"type":"function","function":{"name":"weather","description":"Current weather",
                       "parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}],
             "tool_choice":"required","parallel_tool_calls":false,"stop":"END","temperature":0.2,"user":"u-42"}""";

    @Test
    void anOpenAiClientIsServedByAnthropic() {
        upstream.then(FakeUpstream.json(200, """
                {"id":"msg_01","type":"message","role":"assistant","model":"claude-sonnet-4-20250514",
                 "content":[{"type":"text","text":"Checking."},
                            {"type":"tool_use","id":"toolu_2","name":"weather","input":{"city":"Rome"}}],
                 "stop_reason":"tool_use","stop_sequence":null,
                 "usage":{"input_tokens":100,"output_tokens":20,"cache_creation_input_tokens":30,
                          "cache_read_input_tokens":50}}"""));

        ProxyResponse response = proxy.complete(CLAUDE, Dialect.OPENAI, json(OPENAI_TOOL_CONVERSATION)).join();

        JsonNode sent = upstream.received().get(0).body();
        FakeUpstream.Received received = upstream.received().get(0);
        assertThat(received.path()).isEqualTo("/anthropic/v1/messages");
        assertThat(received.headers().getFirst("x-api-key")).isEqualTo("sk-ant");
        assertThat(received.headers().getFirst("anthropic-version")).isEqualTo("2023-06-01");
        assertThat(sent.path("model").asText()).isEqualTo("claude-sonnet-4-20250514");
        assertThat(sent.path("max_tokens").asInt()).as("default when the client set none").isEqualTo(4096);
        assertThat(sent.path("system")).isEqualTo(json("""
                {"s":[{"type":"text","text":"Be brief."},{"type":"text","text":"Use tools."}]}""").get("s"));
        assertThat(sent.path("messages")).isEqualTo(json("""
                {"m":[{"role":"user","content":[{"type":"text","text":"Weather in Paris?"}]},
                      {"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"weather",
                                                      "input":{"city":"Paris"}}]},
                      {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"18C, sunny"},
                                                {"type":"text","text":"And in Rome?"}]}]}""").get("m"));
        assertThat(sent.path("tools")).isEqualTo(json("""
                {"t":[{"name":"weather","description":"Current weather",
                       "input_schema":{"type":"object","properties":{"city":{"type":"string"}}}}]}""").get("t"));
        assertThat(sent.path("tool_choice")).isEqualTo(json("{\"type\":\"any\",\"disable_parallel_tool_use\":true}"));
        assertThat(sent.path("stop_sequences").get(0).asText()).isEqualTo("END");
        assertThat(sent.path("temperature").asDouble()).isEqualTo(0.2);
        assertThat(sent.at("/metadata/user_id").asText()).isEqualTo("u-42");

        ObjectNode body = response.body();
        assertThat(body.path("id").asText()).isEqualTo("msg_01");
        assertThat(body.path("object").asText()).isEqualTo("chat.completion");
        assertThat(body.path("model").asText()).isEqualTo("claude-sonnet-4");
        assertThat(body.has("created")).isTrue();
        JsonNode choice = body.at("/choices/0");
        assertThat(choice.path("finish_reason").asText()).isEqualTo("tool_calls");
        assertThat(choice.has("logprobs")).isTrue();
        assertThat(choice.at("/message/content").asText()).isEqualTo("Checking.");
        assertThat(choice.at("/message/refusal").isNull()).isTrue();
        assertThat(choice.at("/message/tool_calls/0/id").asText()).isEqualTo("toolu_2");
        assertThat(choice.at("/message/tool_calls/0/type").asText()).isEqualTo("function");
        assertThat(json(choice.at("/message/tool_calls/0/function/arguments").asText()))
                .isEqualTo(json("{\"city\":\"Rome\"}"));
        assertThat(body.at("/usage/prompt_tokens").asInt()).isEqualTo(180);
        assertThat(body.at("/usage/completion_tokens").asInt()).isEqualTo(20);
        assertThat(body.at("/usage/total_tokens").asInt()).isEqualTo(200);
        assertThat(body.at("/usage/prompt_tokens_details/cached_tokens").asInt()).isEqualTo(50);
        assertThat(response.outcome().usage()).isEqualTo(new Usage(180, 50, 30, 20, 0, false, null));
    }

    @Test
    void anOpenAiClientStreamsFromAnthropic() {
        upstream.then(FakeUpstream.sse(
                event("message_start", """
                        {"type":"message_start","message":{"id":"msg_s","type":"message","role":"assistant","model":"claude-sonnet-4-20250514","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":40,"output_tokens":1,"cache_read_input_tokens":10,"cache_creation_input_tokens":0}}}"""),
                event("content_block_start", """
                        {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"""),
                event("ping", "{\"type\":\"ping\"}"),
                event("content_block_delta", """
                        {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Let me look."}}"""),
                event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"),
                event("content_block_start", """
                        {"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_9","name":"weather","input":{}}}"""),
                event("content_block_delta", """
                        {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\\"city\\":"}}"""),
                event("content_block_delta", """
                        {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"\\"Rome\\"}"}}"""),
                event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":1}"),
                event("message_delta", """
                        {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":25}}"""),
                event("message_stop", "{\"type\":\"message_stop\"}")));
        TestProxies.RecordingSink sink = new TestProxies.RecordingSink();
        ObjectNode request = json(OPENAI_TOOL_CONVERSATION);
        request.put("stream", true);
        request.putObject("stream_options").put("include_usage", true);

        CallOutcome outcome = proxy.stream(CLAUDE, Dialect.OPENAI, request, sink).join();

        assertThat(outcome.status()).isEqualTo(Status.COMPLETED);
        assertThat(outcome.usage()).isEqualTo(new Usage(50, 10, 0, 25, 0, false, null));
        assertThat(upstream.received().get(0).body().path("stream").asBoolean()).isTrue();
        List<ObjectNode> chunks = sink.data();
        assertThat(chunks).allSatisfy(chunk -> {
            assertThat(chunk.path("id").asText()).isEqualTo("msg_s");
            assertThat(chunk.path("object").asText()).isEqualTo("chat.completion.chunk");
            assertThat(chunk.path("model").asText()).isEqualTo("claude-sonnet-4");
        });
        assertThat(chunks.get(0).at("/choices/0/delta/role").asText()).isEqualTo("assistant");
        assertThat(chunks.get(1).at("/choices/0/delta/content").asText()).isEqualTo("Let me look.");
        JsonNode toolStart = chunks.get(2).at("/choices/0/delta/tool_calls/0");
        assertThat(toolStart.path("index").asInt()).isZero();
        assertThat(toolStart.path("id").asText()).isEqualTo("toolu_9");
        assertThat(toolStart.at("/function/name").asText()).isEqualTo("weather");
        assertThat(chunks.get(3).at("/choices/0/delta/tool_calls/0/function/arguments").asText()
                + chunks.get(4).at("/choices/0/delta/tool_calls/0/function/arguments").asText())
                .isEqualTo("{\"city\":\"Rome\"}");
        assertThat(chunks.get(5).at("/choices/0/finish_reason").asText()).isEqualTo("tool_calls");
        assertThat(chunks.get(6).path("choices")).isEmpty();
        assertThat(chunks.get(6).at("/usage/prompt_tokens").asInt()).isEqualTo(50);
        assertThat(chunks.get(6).at("/usage/prompt_tokens_details/cached_tokens").asInt()).isEqualTo(10);
        assertThat(chunks.get(6).at("/usage/completion_tokens").asInt()).isEqualTo(25);
        assertThat(chunks).hasSize(7);
        assertThat(sink.text()).endsWith("data: [DONE]\n\n");
    }

    private static final String ANTHROPIC_TOOL_CONVERSATION = """
            {"model":"gpt-4.1","max_tokens":300,"system":[{"type":"text","text":"Be brief."}],
             "messages":[
               {"role":"user","content":"Weather in Paris?"},
               {"role":"assistant","content":[{"type":"text","text":"Checking."},
                  {"type":"tool_use","id":"call_1","name":"weather","input":{"city":"Paris"}}]},
               {"role":"user","content":[{"type":"tool_result","tool_use_id":"call_1","content":[{"type":"text","text":"18C"}]},
                  {"type":"text","text":"Thanks. Rome?"}]}],
             "tools":[{"name":"weather","description":"Current weather","input_schema":{"type":"object"}}],
             "tool_choice":{"type":"tool","name":"weather"},"stop_sequences":["END"],
             "metadata":{"user_id":"u-7"}}""";

    @Test
    void anAnthropicClientIsServedByOpenAi() {
        upstream.then(FakeUpstream.json(200, """
                {"id":"chatcmpl-t","object":"chat.completion","created":1,"model":"gpt-4.1",
                 "choices":[{"index":0,"message":{"role":"assistant","content":null,"refusal":null,
                   "tool_calls":[{"id":"call_2","type":"function","function":{"name":"weather","arguments":"{\\"city\\":\\"Rome\\"}"}}]},
                   "logprobs":null,"finish_reason":"tool_calls"}],
                 "usage":{"prompt_tokens":120,"completion_tokens":15,"total_tokens":135,
                          "prompt_tokens_details":{"cached_tokens":64}}}"""));

        ProxyResponse response = proxy.complete(GPT, Dialect.ANTHROPIC, json(ANTHROPIC_TOOL_CONVERSATION)).join();

        JsonNode sent = upstream.received().get(0).body();
        assertThat(sent.path("messages")).isEqualTo(json("""
                {"m":[{"role":"system","content":"Be brief."},
                      {"role":"user","content":"Weather in Paris?"},
                      {"role":"assistant","content":"Checking.","tool_calls":[{"id":"call_1","type":"function",
                         "function":{"name":"weather","arguments":"{\\"city\\":\\"Paris\\"}"}}]},
                      {"role":"tool","tool_call_id":"call_1","content":"18C"},
                      {"role":"user","content":"Thanks. Rome?"}]}""").get("m"));
        assertThat(sent.path("tools")).isEqualTo(json("""
                {"t":[{"type":"function","function":{"name":"weather","description":"Current weather",
                       "parameters":{"type":"object"}}}]}""").get("t"));
        assertThat(sent.path("tool_choice")).isEqualTo(json("{\"type\":\"function\",\"function\":{\"name\":\"weather\"}}"));
        assertThat(sent.path("max_completion_tokens").asInt()).isEqualTo(300);
        assertThat(sent.path("stop").get(0).asText()).isEqualTo("END");
        assertThat(sent.path("user").asText()).isEqualTo("u-7");

        ObjectNode body = response.body();
        assertThat(body.path("id").asText()).isEqualTo("chatcmpl-t");
        assertThat(body.path("type").asText()).isEqualTo("message");
        assertThat(body.path("role").asText()).isEqualTo("assistant");
        assertThat(body.path("model").asText()).isEqualTo("gpt-4.1");
        assertThat(body.path("stop_reason").asText()).isEqualTo("tool_use");
        assertThat(body.path("content")).isEqualTo(json("""
                {"c":[{"type":"tool_use","id":"call_2","name":"weather","input":{"city":"Rome"}}]}""").get("c"));
        assertThat(body.path("usage").toString()).isEqualTo(
                "{\"input_tokens\":56,\"output_tokens\":15,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":64}");
    }

    @Test
    void anAnthropicClientStreamsFromOpenAi() {
        String head = "\"id\":\"chatcmpl-u\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4.1\"";
        upstream.then(FakeUpstream.sse(
                data("{" + head + ",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}"),
                data("{" + head + ",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"On it.\"},\"finish_reason\":null}]}"),
                data("{" + head + ",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_5\",\"type\":\"function\",\"function\":{\"name\":\"weather\",\"arguments\":\"\"}}]},\"finish_reason\":null}]}"),
                data("{" + head + ",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"city\\\":\\\"Rome\\\"}\"}}]},\"finish_reason\":null}]}"),
                data("{" + head + ",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}"),
                data("{" + head + ",\"choices\":[],\"usage\":{\"prompt_tokens\":70,\"completion_tokens\":12,\"total_tokens\":82,\"prompt_tokens_details\":{\"cached_tokens\":20}}}"),
                "data: [DONE]\n\n"));
        TestProxies.RecordingSink sink = new TestProxies.RecordingSink();
        ObjectNode request = json(ANTHROPIC_TOOL_CONVERSATION);
        request.put("stream", true);

        CallOutcome outcome = proxy.stream(GPT, Dialect.ANTHROPIC, request, sink).join();

        assertThat(outcome.status()).isEqualTo(Status.COMPLETED);
        assertThat(outcome.usage()).isEqualTo(new Usage(70, 20, 0, 12, 0, false, null));
        assertThat(upstream.received().get(0).body().at("/stream_options/include_usage").asBoolean()).isTrue();
        assertThat(sink.frames).allSatisfy(frame -> assertThat(frame).startsWith("event: "));
        assertThat(sink.text()).doesNotContain("[DONE]");
        List<ObjectNode> events = sink.data();
        assertThat(events.stream().map(e -> e.path("type").asText())).containsExactly(
                "message_start", "content_block_start", "content_block_delta", "content_block_stop",
                "content_block_start", "content_block_delta", "content_block_stop", "message_delta", "message_stop");
        assertThat(events.get(0).at("/message/id").asText()).isEqualTo("chatcmpl-u");
        assertThat(events.get(0).at("/message/model").asText()).isEqualTo("gpt-4.1");
        assertThat(events.get(0).at("/message/content")).isEmpty();
        assertThat(events.get(2).at("/delta/text").asText()).isEqualTo("On it.");
        assertThat(events.get(4).path("index").asInt()).isEqualTo(1);
        assertThat(events.get(4).at("/content_block/type").asText()).isEqualTo("tool_use");
        assertThat(events.get(4).at("/content_block/id").asText()).isEqualTo("call_5");
        assertThat(events.get(5).at("/delta/type").asText()).isEqualTo("input_json_delta");
        assertThat(events.get(5).at("/delta/partial_json").asText()).isEqualTo("{\"city\":\"Rome\"}");
        assertThat(events.get(7).at("/delta/stop_reason").asText()).isEqualTo("tool_use");
        assertThat(events.get(7).at("/usage/output_tokens").asInt()).isEqualTo(12);
        assertThat(events.get(7).at("/usage/input_tokens").asInt()).isEqualTo(50);
        assertThat(events.get(7).at("/usage/cache_read_input_tokens").asInt()).isEqualTo(20);
    }

    @Test
    void anAnthropicClientOfAnthropicGetsTheEventsAsSent() {
        upstream.then(FakeUpstream.sse(
                event("message_start", """
                        {"type":"message_start","message":{"id":"msg_p","type":"message","role":"assistant","model":"claude-sonnet-4-20250514","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":8,"output_tokens":1}}}"""),
                event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"),
                event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi\"}}"),
                event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"),
                event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":2}}"),
                event("message_stop", "{\"type\":\"message_stop\"}")));
        TestProxies.RecordingSink sink = new TestProxies.RecordingSink();

        CallOutcome outcome = proxy.stream(CLAUDE, Dialect.ANTHROPIC, json("""
                {"model":"claude-sonnet-4","max_tokens":10,"stream":true,
                 "messages":[{"role":"user","content":"Hi"}]}"""), sink).join();

        assertThat(outcome.usage()).isEqualTo(new Usage(8, 0, 0, 2, 0, false, null));
        assertThat(sink.frames).hasSize(6);
        assertThat(sink.data().get(0).at("/message/model").asText()).isEqualTo("claude-sonnet-4");
        assertThat(sink.frames.get(5)).isEqualTo("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
    }
}
