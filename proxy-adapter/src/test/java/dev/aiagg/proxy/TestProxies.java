package dev.aiagg.proxy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aiagg.proxy.provider.AnthropicProvider;
import dev.aiagg.proxy.provider.DemoProvider;
import dev.aiagg.proxy.provider.HttpTransport;
import dev.aiagg.proxy.provider.OpenAiCompatibleProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;

/** A proxy wired as {@link ProxyConfiguration} wires it, with short timeouts and pointed at fake upstreams. */
final class TestProxies {

    static final ObjectMapper JSON = new ObjectMapper();
    static final TokenCounter TOKENS = new TokenCounter();

    static ProxyProperties properties() {
        return new ProxyProperties(Duration.ofSeconds(1), Duration.ofMillis(700), Duration.ofMillis(700),
                Duration.ofSeconds(3), Duration.ofSeconds(10), 4096,
                new ProxyProperties.Retry(2, Duration.ofMillis(20), Duration.ofMillis(100), Duration.ofSeconds(1)),
                new ProxyProperties.CircuitBreaker(50, 4, 4, Duration.ofMillis(400), 1));
    }

    /** @param upstream the fake every configured provider points at, or null for no HTTP provider */
    static RoutingLlmProxy proxy(FakeUpstream upstream, ProxyProperties properties) {
        return proxy(upstream, properties, ProxyConfiguration.scheduler());
    }

    static RoutingLlmProxy proxy(FakeUpstream upstream, ProxyProperties properties,
                                 ScheduledExecutorService scheduler) {
        HttpTransport transport = new HttpTransport(properties.connectTimeout(), properties.firstByteTimeout(), JSON);
        List<dev.aiagg.proxy.provider.Provider> providers = new ArrayList<>();
        if (upstream != null) {
            providers.add(new OpenAiCompatibleProvider("openai", upstream.baseUrl("/openai/v1"), "sk-openai",
                    Map.of(), true, transport));
            providers.add(new AnthropicProvider(upstream.baseUrl("/anthropic"), "sk-ant", transport));
            providers.add(new OpenAiCompatibleProvider("openrouter", upstream.baseUrl("/openrouter/api/v1"),
                    "sk-or", Map.of("HTTP-Referer", "https://aiagg.dev", "X-OpenRouter-Title", "AI Aggregator",
                    "X-Title", "AI Aggregator"), false, transport));
        }
        providers.add(new DemoProvider(true, Duration.ofMillis(1), ProxyConfiguration.demoStreams(), TOKENS, JSON));
        return new RoutingLlmProxy(providers, TOKENS, properties, scheduler, JSON, new Random(7));
    }

    static RoutingLlmProxy proxy(FakeUpstream upstream) {
        return proxy(upstream, properties());
    }

    static Route route(String modelId, Deployment... deployments) {
        return new Route(modelId, List.of(deployments));
    }

    static ObjectNode json(String text) {
        try {
            return (ObjectNode) JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    /** Collects what the client would have received; can play a client that leaves after some frames. */
    static final class RecordingSink implements StreamSink {

        final List<String> frames = new CopyOnWriteArrayList<>();
        private final int leaveAfter;

        RecordingSink(int leaveAfter) {
            this.leaveAfter = leaveAfter;
        }

        RecordingSink() {
            this(Integer.MAX_VALUE);
        }

        @Override
        public boolean send(String event) {
            if (frames.size() >= leaveAfter) {
                return false;
            }
            frames.add(event);
            return true;
        }

        /** The JSON of every data line except {@code [DONE]}. */
        List<ObjectNode> data() {
            List<ObjectNode> out = new ArrayList<>();
            for (String frame : frames) {
                for (String line : frame.split("\n")) {
                    if (line.startsWith("data: ") && !line.equals("data: [DONE]")) {
                        out.add(json(line.substring(6)));
                    }
                }
            }
            return out;
        }

        String text() {
            return String.join("", frames);
        }
    }

    private TestProxies() {
    }
}
