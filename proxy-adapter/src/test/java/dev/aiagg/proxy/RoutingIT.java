package dev.aiagg.proxy;

import static dev.aiagg.proxy.FakeUpstream.json;
import static dev.aiagg.proxy.OpenAiProviderIT.COMPLETION;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aiagg.proxy.CallOutcome.Status;
import dev.aiagg.proxy.LlmProxy.ProxyResponse;
import dev.aiagg.proxy.provider.DemoProvider;
import dev.aiagg.proxy.provider.HttpTransport;
import dev.aiagg.proxy.provider.OpenAiCompatibleProvider;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Retries, fallbacks, circuit breakers and time limits, against a fake provider that fails on cue. */
class RoutingIT {

    private static final Deployment OPENAI = new Deployment("openai", "gpt-4o", 0, 1);
    private static final Deployment OPENROUTER = new Deployment("openrouter", "openai/gpt-4o", 1, 1);
    private static final String OVERLOADED = """
            {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}""";
    private static final String SERVER_ERROR = """
            {"error":{"message":"The server had an error","type":"server_error","param":null,"code":null}}""";
    private static final String RATE_LIMITED = """
            {"error":{"message":"Rate limit reached","type":"requests","param":null,"code":"rate_limit_exceeded"}}""";

    private final FakeUpstream upstream = new FakeUpstream();
    private RoutingLlmProxy proxy = TestProxies.proxy(upstream);

    RoutingIT() throws Exception {
    }

    @AfterEach
    void close() {
        proxy.close();
        upstream.close();
    }

    private ProxyResponse call(Deployment... deployments) {
        return proxy.complete(TestProxies.route("gpt-4o", deployments), Dialect.OPENAI, request()).join();
    }

    private static ObjectNode request() {
        return TestProxies.json("{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
    }

    private List<String> paths() {
        return upstream.received().stream().map(FakeUpstream.Received::path).toList();
    }

    private long gapMillis(int first, int second) {
        return TimeUnit.NANOSECONDS.toMillis(upstream.received().get(second).atNanos()
                - upstream.received().get(first).atNanos());
    }

    @Test
    void a429IsRetriedOnTheSameDeployment() {
        upstream.then(json(429, RATE_LIMITED)).then(json(200, COMPLETION));

        ProxyResponse response = call(OPENAI, OPENROUTER);

        assertThat(response.outcome().status()).isEqualTo(Status.COMPLETED);
        assertThat(response.outcome().attempts()).isEqualTo(2);
        assertThat(response.outcome().deployment()).isEqualTo(OPENAI);
        assertThat(paths()).containsExactly("/openai/v1/chat/completions", "/openai/v1/chat/completions");
    }

    @Test
    void overloadedAndServerErrorsAreRetriedThenTheNextDeploymentServes() {
        Deployment claude = new Deployment("anthropic", "claude-sonnet-4", 0, 1);
        upstream.then(json(529, OVERLOADED)).then(json(500, SERVER_ERROR)).then(json(200, COMPLETION));

        ProxyResponse response = call(claude, OPENROUTER);

        assertThat(response.outcome().status()).isEqualTo(Status.COMPLETED);
        assertThat(response.outcome().deployment()).isEqualTo(OPENROUTER);
        assertThat(response.outcome().attempts()).isEqualTo(3);
        assertThat(paths()).containsExactly("/anthropic/v1/messages", "/anthropic/v1/messages",
                "/openrouter/api/v1/chat/completions");
        assertThat(response.body().path("model").asText()).isEqualTo("gpt-4o");
        assertThat(gapMillis(0, 1)).as("backoff stays under its cap").isLessThan(500);
    }

    @Test
    void retryAfterIsWaitedForWhenItIsShortEnough() {
        upstream.then(json(429, RATE_LIMITED, "retry-after-ms", "300")).then(json(200, COMPLETION));

        ProxyResponse response = call(OPENAI);

        assertThat(response.outcome().status()).isEqualTo(Status.COMPLETED);
        assertThat(gapMillis(0, 1)).isGreaterThanOrEqualTo(290);
    }

    @Test
    void aLongRetryAfterMovesOnToTheNextDeploymentAtOnce() {
        upstream.then(json(503, SERVER_ERROR, "retry-after", "30")).then(json(200, COMPLETION));

        ProxyResponse response = call(OPENAI, OPENROUTER);

        assertThat(response.outcome().deployment()).isEqualTo(OPENROUTER);
        assertThat(paths()).containsExactly("/openai/v1/chat/completions", "/openrouter/api/v1/chat/completions");
        assertThat(gapMillis(0, 1)).isLessThan(500);
    }

    @Test
    void aRefusedRequestIsNeitherRetriedNorSentElsewhere() {
        upstream.then(json(400, """
                {"error":{"message":"Invalid value for 'temperature'","type":"invalid_request_error",
                          "param":"temperature","code":"invalid_value"}}"""));

        ProxyResponse response = call(OPENAI, OPENROUTER);

        assertThat(response.body()).isNull();
        assertThat(response.outcome().status()).isEqualTo(Status.FAILED);
        assertThat(response.outcome().error().status()).isEqualTo(400);
        assertThat(response.outcome().error().type()).isEqualTo("invalid_request_error");
        assertThat(response.outcome().error().getMessage()).isEqualTo("Invalid value for 'temperature'");
        assertThat(response.outcome().usage()).isEqualTo(Usage.NONE);
        assertThat(paths()).hasSize(1);
    }

    @Test
    void aRejectedProviderKeyIsABadGatewayAndTheNextDeploymentServes() {
        upstream.then(json(401, """
                {"error":{"message":"Incorrect API key provided","type":"invalid_request_error","param":null,
                          "code":"invalid_api_key"}}""")).then(json(200, COMPLETION))
                .then(json(401, "{\"error\":{\"code\":401,\"message\":\"No auth credentials found\"}}"));

        ProxyResponse fallback = call(OPENAI, OPENROUTER);
        ProxyResponse alone = call(OPENROUTER);

        assertThat(fallback.outcome().status()).isEqualTo(Status.COMPLETED);
        assertThat(fallback.outcome().deployment()).isEqualTo(OPENROUTER);
        assertThat(alone.outcome().status()).isEqualTo(Status.FAILED);
        assertThat(alone.outcome().error().status()).isEqualTo(502);
        assertThat(alone.outcome().error().getMessage()).contains("openrouter rejected our credentials");
        assertThat(paths()).hasSize(3);
    }

    @Test
    void everyDeploymentOverloadedIsA503WithTheShortestRetryAfter() {
        upstream.then(json(429, RATE_LIMITED, "retry-after", "20"))
                .then(json(529, OVERLOADED, "retry-after", "10"));
        Deployment claude = new Deployment("anthropic", "claude-sonnet-4", 1, 1);

        ProxyResponse response = call(OPENAI, claude);

        assertThat(response.outcome().status()).isEqualTo(Status.FAILED);
        assertThat(response.outcome().error().status()).isEqualTo(503);
        assertThat(response.outcome().error().retryAfter()).isEqualTo(Duration.ofSeconds(10));
        assertThat(response.outcome().attempts()).isEqualTo(2);
    }

    @Test
    void theTimeLimiterBoundsTheWaitForHeadersAndTheNextDeploymentServes() {
        proxy.close();
        ProxyProperties base = TestProxies.properties();
        proxy = TestProxies.proxy(upstream, new ProxyProperties(base.connectTimeout(), Duration.ofMillis(300),
                base.idleTimeout(), base.responseTimeout(), base.maxCallDuration(), 4096,
                new ProxyProperties.Retry(1, Duration.ofMillis(10), Duration.ofMillis(10), Duration.ofSeconds(1)),
                base.circuitBreaker()));
        upstream.then(FakeUpstream.late(Duration.ofSeconds(2), json(200, COMPLETION))).then(json(200, COMPLETION))
                .then(FakeUpstream.late(Duration.ofSeconds(2), json(200, COMPLETION)));

        long start = System.nanoTime();
        ProxyResponse fallback = call(OPENAI, OPENROUTER);
        ProxyResponse alone = call(OPENAI);

        assertThat(fallback.outcome().status()).isEqualTo(Status.COMPLETED);
        assertThat(fallback.outcome().deployment()).isEqualTo(OPENROUTER);
        assertThat(alone.outcome().status()).isEqualTo(Status.FAILED);
        assertThat(alone.outcome().error().status()).isEqualTo(504);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2000));
    }

    @Test
    void theCircuitOpensAfterFailuresAndClosesAgainAfterASuccessfulProbe() throws Exception {
        proxy.close();
        ProxyProperties base = TestProxies.properties();
        proxy = TestProxies.proxy(upstream, new ProxyProperties(base.connectTimeout(), base.firstByteTimeout(),
                base.idleTimeout(), base.responseTimeout(), base.maxCallDuration(), 4096,
                new ProxyProperties.Retry(1, Duration.ofMillis(10), Duration.ofMillis(10), Duration.ofSeconds(1)),
                new ProxyProperties.CircuitBreaker(50, 4, 4, Duration.ofMillis(300), 1)));
        for (int i = 0; i < 4; i++) {
            upstream.then(json(500, SERVER_ERROR));
        }
        for (int i = 0; i < 4; i++) {
            assertThat(call(OPENAI).outcome().error().status()).isEqualTo(502);
        }
        assertThat(proxy.circuitState(OPENAI)).isEqualTo(CircuitBreaker.State.OPEN);

        ProxyResponse refused = call(OPENAI);
        assertThat(refused.outcome().error().status()).isEqualTo(503);
        assertThat(refused.outcome().error().getMessage()).contains("circuit open");
        assertThat(upstream.received()).hasSize(4);

        Thread.sleep(350);
        upstream.then(json(200, COMPLETION));
        ProxyResponse probe = call(OPENAI);
        assertThat(probe.outcome().status()).isEqualTo(Status.COMPLETED);
        assertThat(proxy.circuitState(OPENAI)).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void lowerPriorityFirstAndAZeroWeightOnlyAfterTheOthers() {
        Deployment heavy = new Deployment("openrouter", "openai/gpt-4o", 0, 5);
        Deployment never = new Deployment("openai", "gpt-4o", 0, 0);
        Deployment later = new Deployment("anthropic", "claude", 1, 100);
        for (int i = 0; i < 10; i++) {
            upstream.then(json(200, COMPLETION));
            assertThat(call(later, never, heavy).outcome().deployment()).isEqualTo(heavy);
        }
        assertThat(paths()).containsOnly("/openrouter/api/v1/chat/completions");
    }

    @Test
    void weightsShareTheTrafficOfOnePriority() {
        Deployment a = new Deployment("openrouter", "a", 0, 3);
        Deployment b = new Deployment("openai", "b", 0, 1);
        int toA = 0;
        for (int i = 0; i < 200; i++) {
            upstream.then(json(200, COMPLETION));
            if (call(a, b).outcome().deployment().equals(a)) {
                toA++;
            }
        }
        assertThat(toA).isBetween(125, 175);
    }

    @Test
    void aProviderWithoutAKeyIsSkippedWithoutAnyCall() {
        proxy.close();
        HttpTransport transport = new HttpTransport(Duration.ofSeconds(1), Duration.ofSeconds(1), TestProxies.JSON);
        proxy = new RoutingLlmProxy(List.of(
                new OpenAiCompatibleProvider("openai", "http://127.0.0.1:9/v1", "", Map.of(), true, transport),
                new DemoProvider(true, Duration.ZERO, ProxyConfiguration.demoStreams(), TestProxies.TOKENS,
                        TestProxies.JSON)),
                TestProxies.TOKENS, TestProxies.properties(), ProxyConfiguration.scheduler(), TestProxies.JSON,
                new Random());

        ProxyResponse alone = call(OPENAI);
        ProxyResponse fallback = call(OPENAI, new Deployment("demo", "demo", 1, 1));

        assertThat(alone.outcome().status()).isEqualTo(Status.FAILED);
        assertThat(alone.outcome().error().status()).isEqualTo(503);
        assertThat(alone.outcome().error().type()).isEqualTo("server_error");
        assertThat(alone.outcome().error().getMessage()).isEqualTo("provider openai is not configured");
        assertThat(alone.outcome().attempts()).isZero();
        assertThat(fallback.outcome().status()).isEqualTo(Status.COMPLETED);
        assertThat(fallback.body().at("/choices/0/message/content").asText()).startsWith("[demo]");
    }
}
