package dev.aiagg.gateway.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import dev.aiagg.api.Money;
import dev.aiagg.gateway.FakeUpstream;
import dev.aiagg.gateway.IntegrationTest;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpMethod;

/**
 * Base of the LLM API's integration tests: companies with keys and credit, models in the catalogue pointing at
 * {@link FakeUpstream}, and the ledger read back. Same configuration as every integration test, so one shared
 * Spring context.
 */
public abstract class LlmIntegrationTest extends IntegrationTest {

    // Prices in RUB per million tokens, so the expected charges are easy to follow.
    static final BigDecimal INPUT = new BigDecimal("150");
    static final BigDecimal OUTPUT = new BigDecimal("600");
    static final BigDecimal MARKUP = new BigDecimal("20");

    @LocalServerPort
    int port;


    public record Tenant(CompanySession company, String secret, String keyId) {
    }

    public record Balance(long balance, long reserved) {
    }

    /** A company with a key (extra key settings as given) and, unless null, that much credit. */
    protected Tenant tenant(String credit, Map<String, Object> keySettings) {
        CompanySession company = newCompany();
        if (credit != null) {
            credit(company.companyId(), credit);
            await().atMost(Duration.ofSeconds(10)).until(() -> balance(new Tenant(company, null, null)).balance() > 0);
        }
        Map<String, Object> key = new HashMap<>(keySettings);
        key.put("name", "test key");
        Response issued = call(HttpMethod.POST, "/api/keys", company.accessToken(), key);
        assertThat(issued.status()).as("key: %s", issued.body()).isEqualTo(201);
        return new Tenant(company, issued.text("secret"), issued.text("id"));
    }

    protected String defineModel(String provider, String upstreamModel, String currency, Integer cap) {
        String modelId = "it-" + upstreamModel + "-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> body = new HashMap<>(Map.of(
                "deployments", List.of(Map.of("provider", provider, "upstreamModel", upstreamModel,
                        "priority", 1, "weight", 1)),
                "prices", Map.of("input", INPUT.toPlainString(), "cachedInput", "75", "output", OUTPUT.toPlainString()),
                "currency", currency, "markup", MARKUP.toPlainString()));
        if (cap != null) {
            body.put("defaultCompletionCap", cap);
        }
        Response defined = call(HttpMethod.PUT, "/api/admin/models/" + modelId, operatorToken(), body);
        assertThat(defined.status()).as("model: %s", defined.body()).isBetween(200, 201);
        return modelId;
    }

    /** The charge for these tokens at the test prices, computed here independently: rounded once, half-even. */
    static long charge(long promptTokens, long completionTokens) {
        BigDecimal roubles = INPUT.multiply(BigDecimal.valueOf(promptTokens))
                .add(OUTPUT.multiply(BigDecimal.valueOf(completionTokens)))
                .divide(BigDecimal.valueOf(1_000_000))
                .multiply(BigDecimal.ONE.add(MARKUP.movePointLeft(2)));
        return roubles.movePointRight(6).setScale(0, RoundingMode.HALF_EVEN).longValueExact();
    }

    OpenAIClient openAi(String secret) {
        return OpenAIOkHttpClient.builder().baseUrl("http://127.0.0.1:" + port + "/v1").apiKey(secret)
                .maxRetries(0).build();
    }

    protected Response v1(String secret, String path, Map<String, Object> body) {
        return call(HttpMethod.POST, path, secret, body);
    }

    protected static Map<String, Object> chatBody(String model, boolean stream) {
        return Map.of("model", model, "stream", stream,
                "messages", List.of(Map.of("role", "user", "content", "hi")));
    }

    HttpRequest streamRequest(String secret, String model) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + secret)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + model + "\",\"stream\":true,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                .build();
    }

    protected Balance balance(Tenant tenant) {
        Response balance = call(HttpMethod.GET, "/api/balance", tenant.company().accessToken(), null);
        return new Balance(Money.parseMicros(balance.text("balance")), Money.parseMicros(balance.text("reserved")));
    }

    /** Waits until the statement holds exactly these charges (in any order) and nothing is reserved. */
    void awaitCharges(Tenant tenant, List<Long> expected) {
        List<Long> charges = awaitCharges(tenant, expected.size());
        assertThat(charges).containsExactlyInAnyOrderElementsOf(expected);
    }

    List<Long> awaitCharges(Tenant tenant, int count) {
        List<Long> charges = new ArrayList<>();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
            charges.clear();
            Response page = call(HttpMethod.GET, "/api/statement?type=CHARGE&limit=500",
                    tenant.company().accessToken(), null);
            for (JsonNode entry : page.body().get("entries")) {
                charges.add(-Money.parseMicros(entry.get("amount").asText()));
            }
            return charges.size() >= count && balance(tenant).reserved() == 0;
        });
        assertThat(charges).hasSize(count);
        return charges;
    }

    /** Waits until this month's usage of the model shows these requests, failed requests, cache hits and cost. */
    void awaitUsage(Tenant tenant, String model, long requests, long failed, long cacheHits, long costMicros) {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            Response usage = call(HttpMethod.GET, "/api/usage?groupBy=model", tenant.company().accessToken(), null);
            assertThat(usage.body().get("rows")).singleElement().satisfies(row -> {
                assertThat(row.get("group").asText()).isEqualTo(model);
                assertThat(row.get("requests").asLong()).isEqualTo(requests);
                assertThat(row.get("failedRequests").asLong()).isEqualTo(failed);
                assertThat(row.get("cacheHits").asLong()).isEqualTo(cacheHits);
                assertThat(Money.parseMicros(row.get("cost").asText())).isEqualTo(costMicros);
            });
        });
    }

    protected long statementTotal(Tenant tenant) {
        Response page = call(HttpMethod.GET, "/api/statement?limit=500", tenant.company().accessToken(), null);
        long total = 0;
        for (JsonNode entry : page.body().get("entries")) {
            total += Money.parseMicros(entry.get("amount").asText());
        }
        return total;
    }
}
