package dev.aiagg.gateway.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aiagg.gateway.FakeUpstream;
import dev.aiagg.gateway.RawHttp;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;

/**
 * Clients that trickle their bodies hold no request thread: with more of them than there are threads, health, sign-in
 * and LLM calls are still answered within a second, and each trickling body is cut with 408 in its API's format
 * once its deadline ({@code aiagg.http.body-read-timeout}, 10 s) has passed. A call whose body comes late or in
 * chunks is answered and charged like any other.
 */
class SlowBodiesIT extends LlmIntegrationTest {

    private static final int TRICKLERS = 220;
    private static final int DECLARED = 1000;
    private static final Duration DEADLINE = Duration.ofSeconds(10);
    private static final Duration PROMPTLY = Duration.ofSeconds(1);

    @Autowired
    private ObjectMapper json;

    @Test
    @Timeout(90)
    void tricklingBodiesStopNeitherHealthNorSignInNorCallsAndAreCutWith408() throws Exception {
        Tenant tenant = tenant("100.00", Map.of());
        String model = defineModel("openai", "fake-chat", "RUB", 16);
        await().atMost(Duration.ofSeconds(10)).until(() ->
                v1(tenant.secret(), "/v1/chat/completions", chatBody(model, false)).status() == 200);

        List<RawHttp> tricklers = new ArrayList<>();
        ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
        try {
            long started = System.nanoTime();
            for (int i = 0; i < TRICKLERS; i++) {
                RawHttp client = RawHttp.connect(port);
                client.send(RawHttp.head("POST", path(i), Map.of("Content-Type", "application/json",
                        "Content-Length", Integer.toString(DECLARED), "Authorization", "Bearer " + tenant.secret())));
                client.send("{");
                tricklers.add(client);
            }
            trickle.scheduleAtFixedRate(() -> tricklers.forEach(client -> {
                try {
                    client.send(" ");
                } catch (IOException cut) {
                    // cut by the server: its answer is read below
                }
            }), 2, 2, TimeUnit.SECONDS);

            for (int round = 0; round < 3; round++) {
                Thread.sleep(2_000);
                assertAnsweredPromptly("health", () -> call(HttpMethod.GET, "/actuator/health", null, null));
                assertAnsweredPromptly("sign-in", () -> login(tenant.company().email(),
                        tenant.company().password(), randomClientIp()));
                assertAnsweredPromptly("chat completion", () ->
                        v1(tenant.secret(), "/v1/chat/completions", chatBody(model, false)));
            }

            for (int i = 0; i < TRICKLERS; i++) {
                RawHttp.Answer answer = tricklers.get(i).answer();
                Duration waited = Duration.ofNanos(System.nanoTime() - started);
                assertThat(answer.status()).as("trickler %d: %s", i, answer.body()).isEqualTo(408);
                assertThat(waited).isGreaterThanOrEqualTo(DEADLINE);
                assertThat(answer.headers().get("connection")).isEqualTo("close");
                JsonNode body = json.readTree(answer.body());
                if (path(i).startsWith("/api")) {
                    assertThat(body.path("code").asText()).isEqualTo("request_timeout");
                    assertThat(body.path("status").asInt()).isEqualTo(408);
                } else {
                    assertThat(body.path("error").path("code").asText()).isEqualTo("request_timeout");
                    assertThat(body.path("error").path("type").asText()).isEqualTo("invalid_request_error");
                }
                assertThat(tricklers.get(i).closedByServer()).isTrue();
            }
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(DEADLINE.plusSeconds(5));
        } finally {
            trickle.shutdownNow();
            for (RawHttp client : tricklers) {
                client.close();
            }
        }
    }

    @Test
    @Timeout(60)
    void aCallWhoseBodyComesLateOrInChunksIsAnsweredAndCharged() throws Exception {
        Tenant tenant = tenant("100.00", Map.of());
        String model = defineModel("openai", "fake-chat", "RUB", 16);
        byte[] plain = json.writeValueAsBytes(chatBody(model, false));
        byte[] stream = json.writeValueAsBytes(chatBody(model, true));
        Map<String, String> auth = Map.of("Authorization", "Bearer " + tenant.secret(),
                "Content-Type", "application/json");

        try (RawHttp client = RawHttp.connect(port)) {
            client.send(RawHttp.head("POST", "/v1/chat/completions", with(auth, "Content-Length", plain.length)));
            Thread.sleep(300);
            RawHttp.Answer late = client.send(Arrays.copyOfRange(plain, 0, 7))
                    .send(Arrays.copyOfRange(plain, 7, plain.length)).answer();
            assertThat(late.status()).as(late.body()).isEqualTo(200);
            assertThat(json.readTree(late.body()).path("choices").get(0).path("message").path("content").asText())
                    .contains(FakeUpstream.ANSWER);
        }
        try (RawHttp client = RawHttp.connect(port)) {
            client.send(RawHttp.head("POST", "/v1/chat/completions", with(auth, "Transfer-Encoding", "chunked")));
            client.send(RawHttp.chunk(Arrays.copyOfRange(stream, 0, 9)));
            Thread.sleep(200);
            RawHttp.Answer chunked = client.send(RawHttp.chunk(Arrays.copyOfRange(stream, 9, stream.length)))
                    .send(RawHttp.lastChunk()).answer();
            assertThat(chunked.status()).as(chunked.body()).isEqualTo(200);
            assertThat(chunked.headers().get("content-type")).startsWith("text/event-stream");
            assertThat(chunked.body()).contains("data: [DONE]");
        }

        long expected = charge(FakeUpstream.PROMPT_TOKENS, FakeUpstream.COMPLETION_TOKENS);
        awaitCharges(tenant, List.of(expected, expected));
    }

    private static String path(int trickler) {
        return trickler % 2 == 0 ? "/api/companies" : "/v1/chat/completions";
    }

    private static Map<String, String> with(Map<String, String> headers, String name, Object value) {
        Map<String, String> all = new java.util.LinkedHashMap<>(headers);
        all.put(name, value.toString());
        return all;
    }

    private static void assertAnsweredPromptly(String what, Supplier<Response> call) {
        long start = System.nanoTime();
        Response response = call.get();
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(response.status()).as("%s: %s", what, response.body()).isEqualTo(200);
        assertThat(took).as(what).isLessThan(PROMPTLY);
    }
}
