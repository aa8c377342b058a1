package dev.aiagg.gateway.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.aiagg.gateway.FakeUpstream;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;

/**
 * PostgreSQL down (connections reset and refused) or silent (a partition): every API answers 503 in its own format
 * within a few seconds, health stays quick, and a call held up past its deadline, or whose client left meanwhile, never
 * reaches the provider and costs nothing.
 */
class DatabaseOutageIT extends FaultIntegrationTest {

    private static final Map<String, String> ANTHROPIC = Map.of("anthropic-version", "2023-06-01");

    @Autowired
    private MeterRegistry meters;

    @Test
    @Timeout(90)
    void withPostgresDownEveryApiAnswers503InItsOwnFormatWithinSeconds() throws Exception {
        Tenant tenant = tenant("100.00", Map.of());
        String model = defineModel("openai", "fake-chat", "RUB", null);
        String email = tenant.company().email();
        letCachedGrantsExpire();

        POSTGRES.cut(Duration.ofSeconds(60));

        Timed<Response> chat = timed(() -> v1(tenant.secret(), "/v1/chat/completions", chatBody(model, false)));
        assertThat(chat.took()).isLessThan(Duration.ofSeconds(5));
        assertThat(chat.result().status()).as("%s", chat.result().body()).isEqualTo(503);
        assertThat(chat.result().headers().getFirst("Retry-After")).isEqualTo("5");
        assertThat(chat.result().body().at("/error/type").asText()).isEqualTo("server_error");
        assertThat(chat.result().body().at("/error/code").asText()).isEqualTo("service_unavailable");

        Timed<Response> messages = timed(() -> call(HttpMethod.POST, "/v1/messages", tenant.secret(),
                Map.of("model", model, "max_tokens", 16,
                        "messages", List.of(Map.of("role", "user", "content", "hi"))), ANTHROPIC));
        assertThat(messages.took()).isLessThan(Duration.ofSeconds(5));
        assertThat(messages.result().status()).isEqualTo(503);
        assertThat(messages.result().headers().getFirst("Retry-After")).isNotBlank();
        assertThat(messages.result().body().path("type").asText()).isEqualTo("error");
        assertThat(messages.result().body().at("/error/type").asText()).isEqualTo("overloaded_error");

        Timed<Response> balance = timed(() -> call(HttpMethod.GET, "/api/balance",
                tenant.company().accessToken(), null));
        assertThat(balance.took()).isLessThan(Duration.ofSeconds(5));
        assertUnavailableProblem(balance.result());

        Timed<Response> login = timed(() -> login(email, PASSWORD, randomClientIp()));
        assertThat(login.took()).isLessThan(Duration.ofSeconds(5));
        assertUnavailableProblem(login.result());

        Timed<Response> readiness = timed(() -> call(HttpMethod.GET, "/actuator/health/readiness", null, null));
        assertThat(readiness.took()).isLessThan(Duration.ofSeconds(3));
        assertThat(readiness.result().status()).isEqualTo(503);
        assertThat(component(readiness.result(), "db")).isEqualTo("DOWN");
        assertThat(component(readiness.result(), "redis")).isEqualTo("UP");
        Timed<Response> liveness = timed(() -> call(HttpMethod.GET, "/actuator/health/liveness", null, null));
        assertThat(liveness.took()).isLessThan(Duration.ofSeconds(1));
        assertThat(liveness.result().status()).isEqualTo(200);

        POSTGRES.restore();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() ->
                v1(tenant.secret(), "/v1/chat/completions", chatBody(model, false)).status() == 200);
    }

    @Test
    @Timeout(90)
    void fiftyCallsWaitingOnASilentPostgresNeitherHangNorStallHealth() throws Exception {
        Tenant tenant = tenant("100.00", Map.of());
        String model = defineModel("openai", "fake-chat", "RUB", null);
        letCachedGrantsExpire();

        POSTGRES.stall(Duration.ofSeconds(60));
        ExecutorService clients = Executors.newFixedThreadPool(50);
        try {
            List<CompletableFuture<Timed<Response>>> calls = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                boolean llm = i % 2 == 0;
                calls.add(CompletableFuture.supplyAsync(() -> timed(() -> llm
                        ? v1(tenant.secret(), "/v1/chat/completions", chatBody(model, false))
                        : call(HttpMethod.GET, "/api/balance", tenant.company().accessToken(), null)), clients));
            }
            Thread.sleep(300);
            Timed<Response> liveness = timed(() -> call(HttpMethod.GET, "/actuator/health/liveness", null, null));
            assertThat(liveness.took()).isLessThan(Duration.ofSeconds(1));
            assertThat(liveness.result().status()).isEqualTo(200);
            Timed<Response> readiness = timed(() -> call(HttpMethod.GET, "/actuator/health/readiness", null, null));
            assertThat(readiness.took()).isLessThan(Duration.ofSeconds(4));
            assertThat(readiness.result().status()).isEqualTo(503);

            for (CompletableFuture<Timed<Response>> call : calls) {
                Timed<Response> answered = call.get();
                // Bounded by the driver's socket timeout (6 s) for a call that had a connection, by the pool's
                // 2 s for the others; once the circuit is open, at once.
                assertThat(answered.took()).isLessThan(Duration.ofSeconds(9));
                assertThat(answered.result().status()).as("%s", answered.result().body()).isEqualTo(503);
            }
        } finally {
            clients.shutdownNow();
        }
    }

    @Test
    @Timeout(60)
    void aCallHeldUpPastItsDeadlineIsNeverSentNorCharged() throws Exception {
        Tenant tenant = tenant("100.00", Map.of());
        String upstream = "fake-chat-" + UUID.randomUUID();
        String model = defineModel("openai", upstream, "RUB", null);
        letCachedGrantsExpire();
        double notSentBefore = unsent("deadline") + unsent("unavailable");

        POSTGRES.stall(ADMISSION_DEADLINE.plusMillis(300));
        CompletableFuture<Response> held = CompletableFuture.supplyAsync(
                () -> v1(tenant.secret(), "/v1/chat/completions", chatBody(model, false)));
        Response answer = held.get();

        assertThat(answer.status()).as("%s", answer.body()).isEqualTo(503);
        assertThat(answer.body().at("/error/type").asText()).isEqualTo("server_error");
        assertThat(unsent("deadline") + unsent("unavailable")).isEqualTo(notSentBefore + 1);
        assertNeverSentNorCharged(tenant, upstream);
    }

    @Test
    @Timeout(60)
    void aCallWhoseClientLeftWhileItWaitedIsNeverSentNorCharged() throws Exception {
        Tenant tenant = tenant("100.00", Map.of());
        String upstream = "fake-chat-" + UUID.randomUUID();
        String model = defineModel("openai", upstream, "RUB", null);
        letCachedGrantsExpire();
        double goneBefore = unsent("client_gone");

        POSTGRES.stall(Duration.ofMillis(700));
        byte[] body = ("{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .getBytes(StandardCharsets.UTF_8);
        try (Socket client = new Socket(InetAddress.getLoopbackAddress(), serverPort)) {
            OutputStream out = client.getOutputStream();
            out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                    + tenant.secret() + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            Thread.sleep(200);
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> unsent("client_gone") == goneBefore + 1);
        assertNeverSentNorCharged(tenant, upstream);
    }

    /** The key's grant and the model are reused for 250 ms: the next call must ask the database. */
    private static void letCachedGrantsExpire() throws InterruptedException {
        Thread.sleep(500);
    }

    private void assertNeverSentNorCharged(Tenant tenant, String upstream) throws IOException {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            Response statement = call(HttpMethod.GET, "/api/statement?type=CHARGE", tenant.company().accessToken(),
                    null);
            assertThat(statement.status()).isEqualTo(200);
            assertThat(statement.body().get("entries")).isEmpty();
            assertThat(balance(tenant).reserved()).isZero();
        });
        assertThat(FakeUpstream.requestsFor(upstream)).isZero();
        assertThat(statementTotal(tenant)).isEqualTo(100_000_000L);
    }

    private double unsent(String reason) {
        var counter = meters.find("aiagg.llm.calls.unsent").tag("reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }

    private static void assertUnavailableProblem(Response response) {
        assertThat(response.status()).as("%s", response.body()).isEqualTo(503);
        assertThat(response.headers().getFirst("Retry-After")).isEqualTo("5");
        assertThat(response.headers().getContentType()).hasToString("application/problem+json");
        assertThat(response.text("code")).isEqualTo("unavailable");
    }
}
