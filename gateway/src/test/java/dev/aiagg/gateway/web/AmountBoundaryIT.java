package dev.aiagg.gateway.web;

import dev.aiagg.gateway.IntegrationTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every decimal the API takes (a key's monthly budget, an adjustment, a model's prices and markup) is read strictly
 * before any arithmetic: an exponent, a huge length, digits of another script or spaces are a 400 naming the field,
 * and fast ({@code "1E+20000000"} once cost 21 s of CPU).
 */
class AmountBoundaryIT extends IntegrationTest {

    private static final List<String> NOT_DECIMALS = List.of("1E+20000000", "1e400", "1E-20000000", "1e3", "0x10",
            "+5", " 5", "5 ", "1 000", "1,5", "1.", ".5", "١٢٣", "٣.٥", "१२३", "５", "NaN", "Infinity", "1_000",
            "9".repeat(20_000), "1." + "0".repeat(20_000), "1.1234567", "99999999999999");

    @Test
    void malformedAmountsAreRefusedFast() {
        CompanySession company = newCompany();
        String operator = operatorToken();
        List<Duration> durations = new ArrayList<>();

        for (String amount : NOT_DECIMALS) {
            durations.add(refused(amount, "monthlyBudget", value -> call(HttpMethod.POST, "/api/keys",
                    company.accessToken(), Map.of("name", "budget", "monthlyBudget", value))));
            durations.add(refused(amount, "amount", value -> call(HttpMethod.POST,
                    "/api/admin/companies/" + company.companyId() + "/adjustments", operator,
                    Map.of("amount", value, "reason", "test"), Map.of("Idempotency-Key", "adj-" + UUID.randomUUID()))));
            durations.add(refused(amount, "prices.input", value -> defineModel(operator, value, "0")));
            durations.add(refused(amount, "markup", value -> defineModel(operator, "1", value)));
        }

        assertThat(durations).allSatisfy(took -> assertThat(took).isLessThan(Duration.ofSeconds(1)));
        assertThat(call(HttpMethod.GET, "/api/keys", company.accessToken(), null).body().get("keys")).isEmpty();
        assertThat(call(HttpMethod.GET, "/api/balance", company.accessToken(), null).text("balance"))
                .isEqualTo("0.00");
    }

    @Test
    void aMinusIsTakenOnlyWhereANegativeIsAllowed() {
        CompanySession company = newCompany();
        String operator = operatorToken();
        credit(company.companyId(), "10.00");

        refused("-5", "monthlyBudget", value -> call(HttpMethod.POST, "/api/keys", company.accessToken(),
                Map.of("name", "budget", "monthlyBudget", value)));
        refused("-1", "prices.input", value -> defineModel(operator, value, "0"));
        refused("-0", "markup", value -> defineModel(operator, "1", value));
        Response debit = call(HttpMethod.POST, "/api/admin/companies/" + company.companyId() + "/adjustments",
                operator, Map.of("amount", "-2.50", "reason", "correction"),
                Map.of("Idempotency-Key", "adj-" + UUID.randomUUID()));
        assertThat(debit.status()).as("%s", debit.body()).isEqualTo(201);
        assertThat(debit.text("balance")).isEqualTo("7.50");
    }

    private Response defineModel(String operator, String input, String markup) {
        return call(HttpMethod.PUT, "/api/admin/models/amounts-" + UUID.randomUUID().toString().substring(0, 8),
                operator, Map.of(
                        "deployments", List.of(Map.of("provider", "openai", "upstreamModel", "gpt-4o",
                                "priority", 1, "weight", 1)),
                        "prices", Map.of("input", input, "cachedInput", "0", "output", "1"),
                        "currency", "USD", "markup", markup));
    }

    private static Duration refused(String amount, String field, Function<String, Response> request) {
        long start = System.nanoTime();
        Response response = request.apply(amount);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        String shown = amount.length() > 20 ? amount.substring(0, 20) + "…" : amount;
        assertThat(response.status()).as("%s %s: %s", field, shown, response.body()).isEqualTo(400);
        assertThat(response.body().get("errors").findValuesAsText("field")).as("%s %s", field, shown)
                .contains(field);
        return took;
    }
}
