package dev.aiagg.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiagg.proxy.CallOutcome.Status;
import dev.aiagg.proxy.LlmProxy.ProxyResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.validation.ValidationAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class ProxyConfigurationTest {

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
            .withUserConfiguration(ProxyConfiguration.class);

    @Test
    void defaultsNeedNoProviderAndCallNobody() {
        context.run(app -> {
            assertThat(app).hasSingleBean(LlmProxy.class).hasSingleBean(TokenCounter.class);
            ProxyProperties proxy = app.getBean(ProxyProperties.class);
            assertThat(proxy.firstByteTimeout()).isEqualTo(Duration.ofSeconds(30));
            assertThat(proxy.defaultMaxTokens()).isEqualTo(4096);
            assertThat(proxy.retry().maxAttempts()).isEqualTo(2);
            assertThat(proxy.retry().baseDelay()).isEqualTo(Duration.ofMillis(100));
            assertThat(proxy.circuitBreaker().waitInOpenState()).isEqualTo(Duration.ofSeconds(30));
            ProvidersProperties providers = app.getBean(ProvidersProperties.class);
            assertThat(providers.openai().baseUrl()).isEqualTo("https://api.openai.com/v1");
            assertThat(providers.anthropic().baseUrl()).isEqualTo("https://api.anthropic.com");
            assertThat(providers.openrouter().baseUrl()).isEqualTo("https://openrouter.ai/api/v1");
            assertThat(providers.demo().enabled()).isFalse();

            ProxyResponse response = app.getBean(LlmProxy.class).complete(
                    TestProxies.route("gpt-4o", new Deployment("openai", "gpt-4o", 0, 1),
                            new Deployment("demo", "demo", 1, 1)),
                    Dialect.OPENAI, TestProxies.json("{\"model\":\"gpt-4o\",\"messages\":[]}")).join();
            assertThat(response.outcome().status()).isEqualTo(Status.FAILED);
            assertThat(response.outcome().error().status()).isEqualTo(503);
            assertThat(response.outcome().attempts()).isZero();
        });
    }

    @Test
    void bindsProvidersAndTheDemo() {
        context.withPropertyValues("aiagg.providers.demo.enabled=true", "aiagg.providers.demo.chunk-delay=0ms",
                        "aiagg.providers.openrouter.referer=https://aiagg.dev", "aiagg.providers.openrouter.title=AI Aggregator",
                        "aiagg.providers.openai.api-key=sk-test", "aiagg.proxy.retry.max-attempts=3",
                        "aiagg.proxy.idle-timeout=5s")
                .run(app -> {
                    ProvidersProperties providers = app.getBean(ProvidersProperties.class);
                    assertThat(providers.openai().apiKey()).isEqualTo("sk-test");
                    assertThat(providers.openrouter().title()).isEqualTo("AI Aggregator");
                    assertThat(app.getBean(ProxyProperties.class).retry().maxAttempts()).isEqualTo(3);
                    assertThat(app.getBean(ProxyProperties.class).idleTimeout()).isEqualTo(Duration.ofSeconds(5));
                    ProxyResponse response = app.getBean(LlmProxy.class).complete(
                            TestProxies.route("demo", new Deployment("demo", "demo", 0, 1)), Dialect.OPENAI,
                            TestProxies.json("{\"model\":\"demo\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"))
                            .join();
                    assertThat(response.body().at("/choices/0/message/content").asText()).startsWith("[demo]");
                });
    }

    @Test
    void refusesInvalidSettings() {
        context.withPropertyValues("aiagg.proxy.retry.max-attempts=0")
                .run(app -> assertThat(app).hasFailed());
    }
}
