package dev.aiagg.gateway.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aiagg.api.account.AccountId;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.HttpMethod;

/**
 * SIGTERM on the embedded default, as {@code context.close()}: new calls get 503 in the caller's format while the
 * streams in flight go on; those that end within the grace are whole, the others are ended with an error event; and
 * once the application has stopped its own PostgreSQL, the ledger in it has every call charged once and nothing held.
 */
class GracefulShutdownIT {

    private static final Duration GRACE = Duration.ofSeconds(6);

    @TempDir
    Path data;

    @Test
    void newCallsGet503StreamsFinishWithinTheGraceTheRestAreCutAndEveryCallIsChargedBeforeTheDatabaseStops()
            throws Exception {
        TestNode node = TestNode.start("--aiagg.embedded-postgres.data-directory=" + data.resolve("postgres"),
                "--aiagg.security.jwt-key-file=" + data.resolve("jwt.key"),
                "--aiagg.llm.shutdown-grace=" + GRACE.toSeconds() + "s");
        String quick = node.defineModel("fake-slow");
        String endless = node.defineModel("fake-long");
        TestNode.Tenant tenant = node.tenant("100.00");
        HttpClient client = HttpClient.newHttpClient();
        List<CompletableFuture<HttpResponse<String>>> finishing = new ArrayList<>();
        List<CompletableFuture<HttpResponse<String>>> cut = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            finishing.add(stream(client, node, tenant, quick));
            cut.add(stream(client, node, tenant, endless));
        }
        Billing billing = node.context.getBean(Billing.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> billing.callsInFlight() == 6);

        Thread closing = new Thread(node::close, "closing");
        closing.start();
        List<String> answeredMeanwhile = new ArrayList<>();
        TestNode.Answer openAi = await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    TestNode.Answer answer = node.chat(tenant.secret(), quick);
                    if (answer.status() == 200) {
                        answeredMeanwhile.add(answer.headers().getFirst("X-Request-Id"));
                    }
                    return answer;
                }, answer -> answer.status() == 503);
        TestNode.Answer anthropic = node.call(HttpMethod.POST, "/v1/messages", tenant.secret(), Map.of("model",
                quick, "max_tokens", 50, "messages", List.of(Map.of("role", "user", "content", "hi"))));

        assertThat(openAi.body().at("/error/code").asText()).isEqualTo("service_unavailable");
        assertThat(openAi.headers().getFirst("Retry-After")).isNotBlank();
        assertThat(anthropic.status()).isEqualTo(503);
        assertThat(anthropic.body().get("type").asText()).isEqualTo("error");
        assertThat(anthropic.body().at("/error/type").asText()).isEqualTo("overloaded_error");
        assertThat(anthropic.headers().getFirst("Retry-After")).isNotBlank();
        assertThat(closing.isAlive()).as("still within the grace").isTrue();

        closing.join(TimeUnit.SECONDS.toMillis(60));
        assertThat(closing.isAlive()).isFalse();
        List<String> requests = new ArrayList<>(answeredMeanwhile);
        for (CompletableFuture<HttpResponse<String>> stream : finishing) {
            HttpResponse<String> whole = stream.get(5, TimeUnit.SECONDS);
            assertThat(whole.statusCode()).isEqualTo(200);
            assertThat(whole.body()).contains("word199").endsWith("data: [DONE]\n\n").doesNotContain("\"error\"");
            requests.add(whole.headers().firstValue("X-Request-Id").orElseThrow());
        }
        for (CompletableFuture<HttpResponse<String>> stream : cut) {
            HttpResponse<String> ended = stream.get(5, TimeUnit.SECONDS);
            assertThat(ended.statusCode()).isEqualTo(200);
            assertThat(ended.body()).contains("word1 ").contains("The server is shutting down")
                    .doesNotContain("[DONE]");
            requests.add(ended.headers().firstValue("X-Request-Id").orElseThrow());
        }

        Map<String, Long> charges = new HashMap<>();
        long reservedAfter;
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().setDataDirectory(data.resolve("postgres"))
                .setCleanDataDirectory(false).start();
             Connection ledger = postgres.getDatabase("postgres", "aiagg").getConnection()) {
            for (JsonNode event : events(ledger, AccountId.of(tenant.companyId()))) {
                if (event.has("fromHoldMicros")) {
                    assertThat(charges.put(event.get("requestId").asText(), event.get("costMicros").asLong()))
                            .as("charged once").isNull();
                }
            }
            List<JsonNode> all = events(ledger, AccountId.of(tenant.companyId()));
            reservedAfter = all.get(all.size() - 1).path("reservedAfterMicros").asLong(-1);
        }
        assertThat(charges.keySet()).containsExactlyInAnyOrderElementsOf(requests);
        assertThat(charges.values()).allSatisfy(cost -> assertThat(cost).isPositive());
        assertThat(reservedAfter).as("every hold released").isZero();
    }

    private static CompletableFuture<HttpResponse<String>> stream(HttpClient client, TestNode node,
                                                                  TestNode.Tenant tenant, String model) {
        return client.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port()
                                + "/v1/chat/completions"))
                        .header("Authorization", "Bearer " + tenant.secret())
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + model + "\",\"stream\":true,"
                                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The account's events, oldest first. */
    private static List<JsonNode> events(Connection ledger, String accountId) throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> events = new ArrayList<>();
        try (PreparedStatement query = ledger.prepareStatement("""
                select convert_from(payload, 'UTF8') from domain_event_entry
                where aggregate_identifier = ? order by sequence_number""")) {
            query.setString(1, accountId);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    events.add(json.readTree(rows.getString(1)));
                }
            }
        }
        return events;
    }
}
