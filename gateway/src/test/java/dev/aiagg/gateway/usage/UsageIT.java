package dev.aiagg.gateway.usage;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aiagg.api.account.AccountId;
import dev.aiagg.api.account.ChargeDetails;
import dev.aiagg.api.account.KeyBudget;
import dev.aiagg.api.account.ReserveFunds;
import dev.aiagg.api.account.SettleReservation;
import dev.aiagg.gateway.IntegrationTest;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class UsageIT extends IntegrationTest {

    @Autowired
    private CommandGateway commands;

    @Test
    void settledRequestsAreReportedByDayModelAndKey() {
        CompanySession company = newCompany();
        credit(company.companyId(), "10.00");
        settle(company.companyId(), "key_a", "gpt-4o-mini", 1_200, 200, 350, 41_625);
        settle(company.companyId(), "key_b", "claude-sonnet-4", 2_000, 0, 500, 1_250_000);
        String today = LocalDate.now(ZoneOffset.UTC).toString();

        await().atMost(Duration.ofSeconds(5)).until(() -> rows(company, "?groupBy=model").size() == 2);

        assertThat(rows(company, "?groupBy=day")).singleElement().hasToString("{\"group\":\"" + today + "\","
                + "\"requests\":2,\"failedRequests\":0,\"cacheHits\":1,\"promptTokens\":3200,\"cachedTokens\":200,"
                + "\"completionTokens\":850,\"reasoningTokens\":20,\"cost\":\"1.291625\",\"charged\":\"1.291625\"}");
        assertThat(rows(company, "?groupBy=model")).extracting(row -> row.get("group").asText() + " "
                        + row.get("requests").asLong() + " " + row.get("promptTokens").asLong() + " "
                        + row.get("cost").asText())
                .containsExactly("claude-sonnet-4 1 2000 1.25", "gpt-4o-mini 1 1200 0.041625");
        assertThat(rows(company, "?groupBy=key")).extracting(row -> row.get("group").asText() + " "
                        + row.get("completionTokens").asLong() + " " + row.get("cost").asText())
                .containsExactly("key_a 350 0.041625", "key_b 500 1.25");
        assertThat(rows(company, "")).hasSize(1);
        assertThat(rows(company, "?groupBy=KEY&from=" + today + "&to=" + today)).hasSize(2);
        assertThat(rows(company, "?groupBy=key&from=" + Instant.now().minusSeconds(3600))).hasSize(2);
        assertThat(rows(company, "?from=2020-01-01&to=2020-01-31")).isEmpty();
        assertThat(call(HttpMethod.GET, "/api/balance", company.accessToken(), null).text("balance"))
                .isEqualTo("8.708375");

        CompanySession other = newCompany();
        assertThat(rows(other, "?groupBy=key")).isEmpty();
        assertThat(rows(other, "?groupBy=model&companyId=" + company.companyId())).isEmpty();
    }

    @Test
    void theReportDefaultsToTheCurrentMonthAndRefusesBadParameters() {
        CompanySession company = newCompany();
        Response report = call(HttpMethod.GET, "/api/usage", company.accessToken(), null);
        assertThat(report.status()).isEqualTo(200);
        YearMonth month = YearMonth.now(ZoneOffset.UTC);
        assertThat(report.text("from")).isEqualTo(month.atDay(1) + "T00:00:00Z");
        assertThat(report.text("to")).isEqualTo(month.plusMonths(1).atDay(1) + "T00:00:00Z");
        assertThat(report.text("groupBy")).isEqualTo("day");
        assertThat(report.body().get("rows")).isEmpty();

        for (String bad : List.of("?groupBy=hour", "?from=yesterday", "?to=2026-13-01",
                "?from=2026-03-02&to=2026-03-01")) {
            Response refused = call(HttpMethod.GET, "/api/usage" + bad, company.accessToken(), null);
            assertThat(refused.status()).as("%s: %s", bad, refused.body()).isEqualTo(400);
            assertThat(refused.text("code")).isEqualTo("invalid_input");
        }
        assertThat(call(HttpMethod.GET, "/api/usage", null, null).status()).isEqualTo(401);
        assertThat(call(HttpMethod.GET, "/api/usage", operatorToken(), null).status()).isEqualTo(403);
    }

    private void settle(String companyId, String keyId, String model, long prompt, long cached, long completion,
                        long costMicros) {
        String accountId = AccountId.of(companyId);
        String requestId = "req-" + UUID.randomUUID();
        commands.sendAndWait(new ReserveFunds(accountId, companyId, requestId, 2_000_000,
                Instant.now().plusSeconds(600),
                new KeyBudget(keyId, 100_000_000, YearMonth.now(ZoneOffset.UTC).toString())));
        commands.sendAndWait(new SettleReservation(accountId, requestId, costMicros, model, new ChargeDetails(keyId,
                model, "openai/" + model, prompt, cached, completion, 10, false, cached > 0, 1,
                new BigDecimal("92.5"), LocalDate.now(ZoneOffset.UTC), 640, "ok")));
    }

    private List<JsonNode> rows(CompanySession company, String query) {
        Response report = call(HttpMethod.GET, "/api/usage" + query, company.accessToken(), null);
        assertThat(report.status()).as("%s", report.body()).isEqualTo(200);
        return report.body().get("rows").findParents("group").stream().toList();
    }
}
