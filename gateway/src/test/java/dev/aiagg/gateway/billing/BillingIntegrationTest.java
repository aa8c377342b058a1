package dev.aiagg.gateway.billing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiagg.gateway.IntegrationTest;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpMethod;

/** Integration tests of the billing engine in the shared context: a model at the fake provider, keys, calls. */
abstract class BillingIntegrationTest extends IntegrationTest {

    /** A model at the fake provider, priced in RUB (150 / 75 / 600 per million tokens). */
    String defineModel() {
        String modelId = "billing-" + UUID.randomUUID().toString().substring(0, 8);
        Response defined = call(HttpMethod.PUT, "/api/admin/models/" + modelId, operatorToken(), Map.of(
                "deployments", List.of(Map.of("provider", "openai", "upstreamModel", "fake-chat", "priority", 1,
                        "weight", 1)),
                "prices", Map.of("input", "150", "cachedInput", "75", "output", "600"),
                "currency", "RUB", "markup", "0", "defaultCompletionCap", 100));
        assertThat(defined.status()).as("model: %s", defined.body()).isBetween(200, 201);
        return modelId;
    }

    /** @return the key's secret */
    String issueKey(CompanySession company) {
        Response issued = call(HttpMethod.POST, "/api/keys", company.accessToken(), Map.of("name", "billing test"));
        assertThat(issued.status()).as("key: %s", issued.body()).isEqualTo(201);
        return issued.text("secret");
    }

    Response chat(String secret, String model) {
        return call(HttpMethod.POST, "/v1/chat/completions", secret, Map.of("model", model,
                "messages", List.of(Map.of("role", "user", "content", "hi"))));
    }
}
