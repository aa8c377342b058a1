package dev.aiagg.gateway.pricing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aiagg.api.pricing.FindModel;
import dev.aiagg.api.pricing.ModelDeployment;
import dev.aiagg.api.pricing.ModelPrices;
import dev.aiagg.api.pricing.ModelView;
import dev.aiagg.gateway.IntegrationTest;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;

import static org.assertj.core.api.Assertions.assertThat;

class PricingIT extends IntegrationTest {

    @Autowired
    private QueryGateway queries;

    @Test
    void anOperatorDefinesChangesListsAndRemovesAModelWithVersionedPrices() {
        String operator = operatorToken();
        String model = newModelId();

        Response created = put(operator, model, definition("0.15", "0.60", "20", deployment("openai", 1, 1)));
        assertThat(created.status()).as("%s", created.body()).isEqualTo(201);
        assertThat(created.body().get("priceVersion").asLong()).isEqualTo(1);
        assertThat(created.body().get("prices").toString())
                .isEqualTo("{\"input\":\"0.15\",\"cachedInput\":\"0.075\",\"output\":\"0.60\","
                        + "\"cacheWrite\":\"0.1875\"}");
        assertThat(created.text("markup")).isEqualTo("20");
        assertThat(created.text("currency")).isEqualTo("USD");
        assertThat(created.body().get("defaultCompletionCap").asInt()).isEqualTo(4096);
        assertThat(created.body().get("deployments").toString()).isEqualTo(
                "[{\"provider\":\"openai\",\"upstreamModel\":\"gpt-4o-mini\",\"priority\":1,\"weight\":1}]");

        Response same = put(operator, model, definition("0.15", "0.60", "20", deployment("openai", 1, 1)));
        assertThat(same.status()).isEqualTo(200);
        assertThat(same.body().get("priceVersion").asLong()).isEqualTo(1);
        assertThat(same.text("updatedAt")).isEqualTo(created.text("updatedAt"));

        Response repriced = put(operator, model, definition("0.15", "0.65", "20", deployment("openai", 1, 1)));
        assertThat(repriced.status()).isEqualTo(200);
        assertThat(repriced.body().get("priceVersion").asLong()).isEqualTo(2);
        assertThat(repriced.body().get("prices").get("output").asText()).isEqualTo("0.65");

        Response rerouted = put(operator, model, definition("0.15", "0.65", "20", deployment("openai", 1, 3),
                deployment("openrouter", 2, 1)));
        assertThat(rerouted.body().get("priceVersion").asLong()).isEqualTo(2);
        assertThat(rerouted.body().get("deployments")).hasSize(2);

        assertThat(listed(operator)).contains(model);
        Optional<ModelView> routed = queries.query(new FindModel(model),
                ResponseTypes.optionalInstanceOf(ModelView.class)).join();
        assertThat(routed).get().satisfies(view -> {
            assertThat(view.priceVersion()).isEqualTo(2);
            assertThat(view.prices()).usingRecursiveComparison().withComparatorForType(BigDecimal::compareTo,
                    BigDecimal.class).isEqualTo(new ModelPrices(new BigDecimal("0.15"), new BigDecimal("0.075"),
                    new BigDecimal("0.65")));
            assertThat(view.deployments()).containsExactly(new ModelDeployment("openai", "gpt-4o-mini", 1, 3),
                    new ModelDeployment("openrouter", "gpt-4o-mini", 2, 1));
        });

        assertThat(call(HttpMethod.DELETE, "/api/admin/models/" + model, operator, null).status()).isEqualTo(204);
        assertThat(listed(operator)).doesNotContain(model);
        assertThat(call(HttpMethod.DELETE, "/api/admin/models/" + model, operator, null).status()).isEqualTo(404);

        Response again = put(operator, model, definition("0.15", "0.65", "20", deployment("openai", 1, 1)));
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.body().get("priceVersion").asLong()).isEqualTo(3);
    }

    @Test
    void aCacheWritePriceIsAPriceOfItsOwnAndDefaultsToOneAndAQuarterTimesInput() {
        String operator = operatorToken();
        String model = newModelId();
        Map<String, Object> plain = definition("3", "15", "0", deployment("anthropic", 1, 1));
        Map<String, Object> withWrites = with(plain, "prices", Map.of("input", "3", "cachedInput", "0.30",
                "output", "15", "cacheWrite", "6"));

        Response defaulted = put(operator, model, plain);
        assertThat(defaulted.body().at("/prices/cacheWrite").asText()).isEqualTo("3.75");
        Response set = put(operator, model, withWrites);
        assertThat(set.body().at("/prices/cacheWrite").asText()).isEqualTo("6");
        assertThat(set.body().get("priceVersion").asLong()).isEqualTo(2);
        Optional<ModelView> routed = queries.query(new FindModel(model),
                ResponseTypes.optionalInstanceOf(ModelView.class)).join();
        assertThat(routed).get().satisfies(view ->
                assertThat(view.prices().cacheWrite()).isEqualByComparingTo("6"));

        assertRefused(operator, model, with(plain, "prices", Map.of("input", "3", "cachedInput", "0.30",
                "output", "15", "cacheWrite", "-1")), "prices.cacheWrite");
        assertRefused(operator, model, with(plain, "prices", Map.of("input", "3", "cachedInput", "0.30",
                "output", "15", "cacheWrite", "1e3")), "prices.cacheWrite");
    }

    @Test
    void refusesAnInvalidDefinitionNamingTheField() {
        String operator = operatorToken();
        String model = newModelId();
        Map<String, Object> valid = definition("0.15", "0.60", "20", deployment("openai", 1, 1));

        assertRefused(operator, model, with(valid, "deployments", List.of()), "deployments");
        assertRefused(operator, model, with(valid, "deployments", List.of(deployment("azure", 1, 1))),
                "deployments[0].provider");
        assertRefused(operator, model, with(valid, "deployments", List.of(deployment("openai", -1, 1))),
                "deployments[0].priority");
        assertRefused(operator, model, with(valid, "deployments", List.of(deployment("openai", 0, 0))),
                "deployments[0].weight");
        assertRefused(operator, model, with(valid, "prices", Map.of("input", "0.1234567", "cachedInput", "0",
                "output", "1")), "prices.input");
        assertRefused(operator, model, with(valid, "prices", Map.of("input", "-1", "cachedInput", "0",
                "output", "1")), "prices.input");
        assertRefused(operator, model, with(valid, "prices", Map.of("input", "1", "output", "1")),
                "prices.cachedInput");
        assertRefused(operator, model, with(valid, "currency", "EUR"), "currency");
        assertRefused(operator, model, with(valid, "markup", "-5"), "markup");
        assertRefused(operator, model, with(valid, "defaultCompletionCap", 0), "defaultCompletionCap");
        assertRefused(operator, "bad!id", valid, "modelId");

        assertThat(call(HttpMethod.PUT, "/api/admin/models/" + model, operator, "{\"deployments\": ").status())
                .isEqualTo(400);
        assertThat(listed(operator)).doesNotContain(model);
        assertThat(call(HttpMethod.DELETE, "/api/admin/models/" + newModelId(), operator, null).status())
                .isEqualTo(404);
    }

    @Test
    void onlyAnOperatorKeepsTheCatalogue() {
        CompanySession company = newCompany();
        Map<String, Object> valid = definition("0.15", "0.60", "20", deployment("openai", 1, 1));
        String model = newModelId();
        for (String token : new String[] {company.accessToken(), null}) {
            int expected = token == null ? 401 : 403;
            assertThat(call(HttpMethod.PUT, "/api/admin/models/" + model, token, valid).status()).isEqualTo(expected);
            assertThat(call(HttpMethod.GET, "/api/admin/models", token, null).status()).isEqualTo(expected);
            assertThat(call(HttpMethod.DELETE, "/api/admin/models/" + model, token, null).status())
                    .isEqualTo(expected);
        }
        assertThat(listed(operatorToken())).doesNotContain(model);
    }

    private void assertRefused(String operator, String model, Map<String, Object> body, String field) {
        Response refused = put(operator, model, body);
        assertThat(refused.status()).as("%s: %s", field, refused.body()).isEqualTo(400);
        assertThat(refused.text("code")).isEqualTo("invalid_input");
        assertThat(refused.body().get("errors").findValuesAsText("field")).as("%s", refused.body()).contains(field);
    }

    private Response put(String operator, String model, Map<String, Object> body) {
        return call(HttpMethod.PUT, "/api/admin/models/" + model, operator, body);
    }

    private List<String> listed(String operator) {
        Response list = call(HttpMethod.GET, "/api/admin/models", operator, null);
        assertThat(list.status()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        for (JsonNode model : list.body().get("models")) {
            ids.add(model.get("modelId").asText());
        }
        return ids;
    }

    private static String newModelId() {
        return "it-" + UUID.randomUUID();
    }

    @SafeVarargs
    private static Map<String, Object> definition(String input, String output, String markup,
                                                  Map<String, Object>... deployments) {
        Map<String, Object> body = new HashMap<>();
        body.put("deployments", List.of(deployments));
        body.put("prices", Map.of("input", input, "cachedInput", "0.075", "output", output));
        body.put("currency", "USD");
        body.put("markup", markup);
        body.put("defaultCompletionCap", 4096);
        return body;
    }

    private static Map<String, Object> deployment(String provider, int priority, int weight) {
        return Map.of("provider", provider, "upstreamModel", "gpt-4o-mini", "priority", priority, "weight", weight);
    }

    private static Map<String, Object> with(Map<String, Object> body, String field, Object value) {
        Map<String, Object> changed = new HashMap<>(body);
        changed.put(field, value);
        return changed;
    }
}
