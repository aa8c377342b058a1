package dev.aiagg.proxy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.aiagg.proxy.provider.AnthropicProvider;
import dev.aiagg.proxy.provider.DemoProvider;
import dev.aiagg.proxy.provider.HttpTransport;
import dev.aiagg.proxy.provider.OpenAiCompatibleProvider;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The proxy's beans: {@link LlmProxy} and {@link TokenCounter}. Nothing here calls a provider at start-up. The
 * proxy keeps a JSON mapper of its own so that wire formats never follow the application's JSON settings.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ProxyProperties.class, ProvidersProperties.class, TokenCountProperties.class})
class ProxyConfiguration {

    @Bean
    TokenCounter tokenCounter(TokenCountProperties limits) {
        return new TokenCounter(limits);
    }

    @Bean
    public LlmProxy llmProxy(ProxyProperties proxy, ProvidersProperties providers, TokenCounter tokens) {
        ObjectMapper json = JsonMapper.builder().build();
        ScheduledExecutorService scheduler = scheduler();
        HttpTransport transport = new HttpTransport(proxy.connectTimeout(), proxy.firstByteTimeout(), json);
        Map<String, String> attribution = new LinkedHashMap<>();
        ProvidersProperties.OpenRouter openRouter = providers.openrouter();
        if (openRouter.referer() != null && !openRouter.referer().isBlank()) {
            attribution.put("HTTP-Referer", openRouter.referer());
        }
        if (openRouter.title() != null && !openRouter.title().isBlank()) {
            attribution.put("X-OpenRouter-Title", openRouter.title());
            attribution.put("X-Title", openRouter.title());
        }
        return new RoutingLlmProxy(List.of(
                new OpenAiCompatibleProvider("openai", providers.openai().baseUrl(), providers.openai().apiKey(),
                        Map.of(), true, transport),
                new AnthropicProvider(providers.anthropic().baseUrl(), providers.anthropic().apiKey(), transport),
                new OpenAiCompatibleProvider("openrouter", openRouter.baseUrl(), openRouter.apiKey(), attribution,
                        false, transport),
                new DemoProvider(providers.demo().enabled(), providers.demo().chunkDelay(), demoStreams(), tokens,
                        json)),
                tokens, proxy, scheduler, json, new Random());
    }

    /** Timers (time limits, idle streams, backoff pauses) and the short steps they start: nothing blocks on it. */
    static ScheduledExecutorService scheduler() {
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(2, daemons("llm-proxy-timer-"));
        scheduler.setRemoveOnCancelPolicy(true);
        return scheduler;
    }

    /** The demo provider paces each stream on a thread of its own; idle threads end after a minute. */
    static ExecutorService demoStreams() {
        return Executors.newCachedThreadPool(daemons("llm-proxy-demo-"));
    }

    private static ThreadFactory daemons(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
