package dev.aiagg.gateway.faults;

import static org.awaitility.Awaitility.await;

import dev.aiagg.gateway.llm.LlmIntegrationTest;
import java.time.Duration;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpMethod;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the fault tests: the application as in every integration test, but on a database of its own and with
 * PostgreSQL, Redis and RabbitMQ each reached through a {@link TcpProxy} that a test can cut or stall. One more
 * shared Spring context, for all fault tests. Every test leaves the dependencies restored and the platform ready.
 */
public abstract class FaultIntegrationTest extends LlmIntegrationTest {

    static final String FAULT_DATABASE = "aiagg_faults";

    protected static final TcpProxy POSTGRES = TcpProxy.to("postgres", 5432);
    protected static final TcpProxy REDIS = TcpProxy.to("redis", 6379);
    protected static final TcpProxy RABBITMQ = TcpProxy.to("rabbitmq", 5672);

    /** Short, so that a test can hold a call past it; the default is 5 s. */
    protected static final Duration ADMISSION_DEADLINE = Duration.ofMillis(1500);

    static {
        recreateDatabase(FAULT_DATABASE);
    }

    @LocalServerPort
    protected int serverPort;

    @DynamicPropertySource
    static void throughProxies(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url",
                () -> "jdbc:postgresql://127.0.0.1:" + POSTGRES.port() + "/" + FAULT_DATABASE);
        registry.add("spring.data.redis.port", REDIS::port);
        registry.add("spring.rabbitmq.port", RABBITMQ::port);
        registry.add("aiagg.llm.admission-deadline", ADMISSION_DEADLINE::toString);
    }

    @AfterEach
    void restoreEveryDependency() {
        POSTGRES.restore();
        REDIS.restore();
        RABBITMQ.restore();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
            Response ready = call(HttpMethod.GET, "/actuator/health/readiness", null, null);
            return ready.status() == 200 && "UP".equals(ready.text("status"));
        });
    }

    /** What an action returned and how long it took. */
    protected record Timed<T>(T result, Duration took) {
    }

    protected static <T> Timed<T> timed(Supplier<T> action) {
        long start = System.nanoTime();
        T result = action.get();
        return new Timed<>(result, Duration.ofNanos(System.nanoTime() - start));
    }

    /** The status of one component of a health answer ({@code db}, {@code redis}, {@code rabbit}). */
    protected static String component(Response health, String name) {
        return health.body().path("components").path(name).path("status").asText();
    }
}
