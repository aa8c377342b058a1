package dev.aiagg.gateway.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.aiagg.gateway.FakeUpstream;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.HttpMethod;

/**
 * Redis down or silent: the LLM API, sign-in and health answer as quickly as ever. Rate limits are counted in the
 * node's memory meanwhile, the response cache is a miss, and Redis counts again once it is back.
 */
class RedisOutageIT extends FaultIntegrationTest {

    @ParameterizedTest(name = "Redis {0}")
    @ValueSource(strings = {"silent", "down"})
    @Timeout(90)
    void whileRedisIsAwayCallsSignInAndHealthAnswerAtOnce(String fault) throws Exception {
        Tenant limited = tenant("100.00", Map.of("rpm", 2));
        Tenant caching = tenant("100.00", Map.of());
        String model = defineModel("openai", "fake-chat", "RUB", null);
        String cachedUpstream = "fake-chat-" + UUID.randomUUID();
        String cachedModel = defineModel("openai", cachedUpstream, "RUB", null);
        awaitAFreshMinute();

        if (fault.equals("silent")) {
            REDIS.stall(Duration.ofSeconds(60));
        } else {
            REDIS.cut(Duration.ofSeconds(60));
        }

        // The first call may wait out one Redis command timeout (500 ms); once the circuit is open, none does.
        for (int i = 0; i < 2; i++) {
            Timed<Response> admitted = timed(() -> v1(limited.secret(), "/v1/chat/completions",
                    chatBody(model, false)));
            assertThat(admitted.took()).isLessThan(Duration.ofSeconds(2));
            assertThat(admitted.result().status()).as("%s", admitted.result().body()).isEqualTo(200);
        }
        Response overLimit = v1(limited.secret(), "/v1/chat/completions", chatBody(model, false));
        assertThat(overLimit.status()).as("the node's own limiter counts meanwhile").isEqualTo(429);
        assertThat(overLimit.headers().getFirst("x-ratelimit-limit-requests")).isEqualTo("2");

        Map<String, Object> cacheable = new HashMap<>(chatBody(cachedModel, false));
        cacheable.put("temperature", 0);
        Map<String, String> cacheWanted = Map.of("x-aiagg-cache", "true");
        for (int i = 0; i < 2; i++) {
            Timed<Response> answered = timed(() -> call(HttpMethod.POST, "/v1/chat/completions",
                    caching.secret(), cacheable, cacheWanted));
            assertThat(answered.took()).isLessThan(Duration.ofSeconds(2));
            assertThat(answered.result().status()).isEqualTo(200);
            assertThat(answered.result().headers().getFirst("x-aiagg-cache")).isNull();
        }
        assertThat(FakeUpstream.requestsFor(cachedUpstream)).as("no answer kept, none served").isEqualTo(2);

        Timed<Response> login = timed(() -> login(caching.company().email(), PASSWORD, randomClientIp()));
        assertThat(login.took()).isLessThan(Duration.ofSeconds(2));
        assertThat(login.result().status()).isEqualTo(200);
        Timed<Response> wrongPassword = timed(() -> login(caching.company().email(), "wrong-password-42",
                randomClientIp()));
        assertThat(wrongPassword.took()).isLessThan(Duration.ofSeconds(2));
        assertThat(wrongPassword.result().status()).isEqualTo(401);

        Timed<Response> health = timed(() -> call(HttpMethod.GET, "/actuator/health", null, null));
        assertThat(health.took()).isLessThan(Duration.ofSeconds(1));
        assertThat(health.result().status()).isEqualTo(200);
        assertThat(health.result().text("status")).isEqualTo("DEGRADED");
        assertThat(component(health.result(), "redis")).isEqualTo("DEGRADED");
        assertThat(component(health.result(), "db")).isEqualTo("UP");
        Response readiness = call(HttpMethod.GET, "/actuator/health/readiness", null, null);
        assertThat(readiness.status()).isEqualTo(200);
        assertThat(component(readiness, "redis")).isEqualTo("DEGRADED");

        REDIS.restore();
        Tenant later = tenant("100.00", Map.of("rpm", 100));
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250)).until(() -> {
            assertThat(v1(later.secret(), "/v1/chat/completions", chatBody(model, false)).status()).isEqualTo(200);
            return !rateLimitKeysInRedis(later.keyId()).isEmpty();
        });
    }

    /** The in-memory limiter counts in windows of the clock's minutes: start well inside one. */
    private static void awaitAFreshMinute() throws InterruptedException {
        int second = Instant.now().atZone(java.time.ZoneOffset.UTC).getSecond();
        if (second > 45) {
            Thread.sleep((61 - second) * 1000L);
        }
    }

    private static List<String> rateLimitKeysInRedis(String keyId) {
        RedisClient redis = RedisClient.create("redis://127.0.0.1:6379");
        try (StatefulRedisConnection<String, String> connection = redis.connect()) {
            return connection.sync().keys("aiagg:ratelimit:{" + keyId + "}:*");
        } finally {
            redis.shutdown();
        }
    }
}
