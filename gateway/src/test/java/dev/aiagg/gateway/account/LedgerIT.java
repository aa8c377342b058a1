package dev.aiagg.gateway.account;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aiagg.api.account.AccountId;
import dev.aiagg.api.account.AdjustBalance;
import dev.aiagg.api.account.InsufficientFundsException;
import dev.aiagg.api.account.ReleaseReservation;
import dev.aiagg.api.account.ReserveFunds;
import dev.aiagg.api.account.SettleReservation;
import dev.aiagg.gateway.IntegrationTest;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class LedgerIT extends IntegrationTest {

    @Autowired
    private CommandGateway commands;

    @Test
    void anOperatorAdjustmentShowsInTheBalanceAndTheStatement() {
        CompanySession company = newCompany();
        String operator = operatorToken();

        Response credited = adjust(operator, company.companyId(), "100.00", null);
        assertThat(credited.status()).as("%s", credited.body()).isEqualTo(201);
        assertThat(credited.text("adjustmentId")).isNotBlank();
        assertThat(credited.text("balance")).isEqualTo("100.00");
        Response debited = adjust(operator, company.companyId(), "-30.5", null);
        assertThat(debited.text("balance")).isEqualTo("69.50");

        Response balance = call(HttpMethod.GET, "/api/balance", company.accessToken(), null);
        assertThat(balance.status()).isEqualTo(200);
        assertThat(balance.body()).hasToString(
                "{\"balance\":\"69.50\",\"reserved\":\"0.00\",\"available\":\"69.50\",\"currency\":\"RUB\"}");

        List<JsonNode> entries = statement(company, "");
        assertThat(entries).extracting(e -> e.get("type").asText()).containsExactly("ADJUSTMENT", "ADJUSTMENT");
        assertThat(entries).extracting(e -> e.get("amount").asText()).containsExactly("100.00", "-30.50");
        assertThat(entries).extracting(e -> e.get("balanceAfter").asText()).containsExactly("100.00", "69.50");
        assertThat(entries).extracting(e -> e.get("reference").asText())
                .containsExactly(credited.text("adjustmentId"), debited.text("adjustmentId"));
        assertThat(entries.get(0).get("occurredAt").asText()).isNotBlank();
    }

    @Test
    void aRepeatedIdempotencyKeyCreditsOnceAndIsAnsweredAsTheFirstTime() {
        CompanySession company = newCompany();
        String operator = operatorToken();
        String key = "refund-" + UUID.randomUUID();

        Response first = adjust(operator, company.companyId(), "25.00", key);
        credit(company.companyId(), "5.00");
        Response second = adjust(operator, company.companyId(), "25.00", key);

        assertThat(first.status()).isEqualTo(201);
        assertThat(second.status()).isEqualTo(201);
        assertThat(first.text("adjustmentId")).isEqualTo(key).isEqualTo(second.text("adjustmentId"));
        assertThat(first.text("balance")).isEqualTo("25.00").isEqualTo(second.text("balance"));
        assertThat(balanceOf(company)).isEqualTo("30.00");
        assertThat(statement(company, "")).hasSize(2);
    }

    @Test
    void theSameIdempotencyKeyWithAnotherAmountOrReasonIsAConflict() {
        CompanySession company = newCompany();
        String operator = operatorToken();
        String key = "refund-" + UUID.randomUUID();
        assertThat(adjust(operator, company.companyId(), "25.00", key).status()).isEqualTo(201);

        Response otherAmount = adjust(operator, company.companyId(), "26.00", key);
        Response otherReason = call(HttpMethod.POST, adjustments(company.companyId()), operator,
                Map.of("amount", "25.00", "reason", "another reason"), Map.of("Idempotency-Key", key));

        for (Response conflict : List.of(otherAmount, otherReason)) {
            assertThat(conflict.status()).as("%s", conflict.body()).isEqualTo(409);
            assertThat(conflict.text("code")).isEqualTo("idempotency_key_reused");
            assertThat(conflict.headers().getContentType()).hasToString("application/problem+json");
        }
        assertThat(balanceOf(company)).isEqualTo("25.00");
        assertThat(statement(company, "")).hasSize(1);
    }

    @Test
    void anAdjustmentNeedsAnIdempotencyKeyHeader() {
        CompanySession company = newCompany();
        String operator = operatorToken();

        Response withoutKey = call(HttpMethod.POST, adjustments(company.companyId()), operator,
                Map.of("amount", "5", "reason", "goodwill"));
        Response keyInTheBody = call(HttpMethod.POST, adjustments(company.companyId()), operator,
                Map.of("amount", "5", "reason", "goodwill", "idempotencyKey", "body-" + UUID.randomUUID()));
        Response blankKey = adjust(operator, company.companyId(), "5", "");
        Response badKey = adjust(operator, company.companyId(), "5", "key with spaces");

        for (Response refused : List.of(withoutKey, keyInTheBody, blankKey, badKey)) {
            assertThat(refused.status()).as("%s", refused.body()).isEqualTo(400);
            assertThat(refused.body().get("errors").get(0).get("field").asText()).isEqualTo("Idempotency-Key");
        }
        assertThat(statement(company, "")).isEmpty();
    }

    @Test
    void refusesBadAmountsAndUnknownCompanies() {
        CompanySession company = newCompany();
        String operator = operatorToken();
        credit(company.companyId(), "10.00");

        for (String amount : List.of("0", "0.000000", "-0", "ten", "1.1234567", "", "1e400", "1E+20000000", "+5",
                " 5", "5 ", "1 000", "١٢٣", "５", "9".repeat(20_000), "99999999999999", "9999999999999.999999")) {
            Response refused = adjust(operator, company.companyId(), amount, null);
            assertThat(refused.status()).as("amount %s: %s", amount, refused.body()).isEqualTo(400);
            assertThat(refused.body().get("errors").get(0).get("field").asText()).isEqualTo("amount");
        }
        assertThat(call(HttpMethod.POST, adjustments(company.companyId()), operator, Map.of("amount", "1.00"),
                Map.of("Idempotency-Key", "adj-" + UUID.randomUUID()))
                .body().get("errors").get(0).get("field").asText()).isEqualTo("reason");
        assertThat(call(HttpMethod.POST, adjustments(company.companyId()), operator, "{\"amount\": ",
                Map.of("Idempotency-Key", "adj-" + UUID.randomUUID())).status()).isEqualTo(400);

        Response overdrawn = adjust(operator, company.companyId(), "-10.000001", null);
        assertThat(overdrawn.status()).as("%s", overdrawn.body()).isEqualTo(402);
        assertThat(overdrawn.text("code")).isEqualTo("insufficient_funds");
        assertThat(adjust(operator, company.companyId(), "-10", null).text("balance")).isEqualTo("0.00");

        assertThat(adjust(operator, "no-such-company", "1.00", null).status()).isEqualTo(404);
        assertThat(call(HttpMethod.POST, "/api/admin/companies/no-such-company/suspend", operator,
                Map.of("reason", "x")).status()).isEqualTo(404);
        assertThat(balanceOf(company)).isEqualTo("0.00");
    }

    @Test
    void theStatementFiltersByTypeAndPeriod() throws InterruptedException {
        CompanySession company = newCompany();
        credit(company.companyId(), "50.00");
        charge(company.companyId(), 2_000_000, 1_250_000);
        Thread.sleep(50);
        Instant middle = Instant.now();
        Thread.sleep(50);
        charge(company.companyId(), 1_000_000, 1_000_000);
        credit(company.companyId(), "5.00");
        await().atMost(Duration.ofSeconds(5)).until(() -> statement(company, "").size() == 4);

        assertThat(statement(company, "?type=CHARGE")).extracting(e -> e.get("amount").asText())
                .containsExactly("-1.25", "-1.00");
        assertThat(statement(company, "?type=adjustment")).extracting(e -> e.get("amount").asText())
                .containsExactly("50.00", "5.00");
        assertThat(statement(company, "?from=" + middle)).extracting(e -> e.get("amount").asText())
                .containsExactly("-1.00", "5.00");
        assertThat(statement(company, "?to=" + middle)).extracting(e -> e.get("amount").asText())
                .containsExactly("50.00", "-1.25");
        assertThat(statement(company, "?type=CHARGE&from=" + middle)).hasSize(1);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        assertThat(statement(company, "?from=" + today + "&to=" + today)).hasSize(4);
        assertThat(statement(company, "?to=" + today.minusDays(1))).isEmpty();

        for (String bad : List.of("?from=yesterday", "?to=2026-13-01", "?type=REFUND", "?limit=0", "?limit=501",
                "?limit=many", "?cursor=-1", "?cursor=abc", "?from=" + middle + "&to=" + middle)) {
            Response refused = call(HttpMethod.GET, "/api/statement" + bad, company.accessToken(), null);
            assertThat(refused.status()).as("%s: %s", bad, refused.body()).isEqualTo(400);
        }
    }

    @Test
    void cursorPaginationWalksEveryEntryOnce() {
        CompanySession company = newCompany();
        String accountId = AccountId.of(company.companyId());
        for (int i = 1; i <= 23; i++) {
            commands.sendAndWait(new AdjustBalance(accountId, company.companyId(), "page-" + i, i * 1_000_000L,
                    "entry " + i, "ledger-test"));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> statement(company, "?limit=500").size() == 23);

        List<Long> walked = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Response page = call(HttpMethod.GET, "/api/statement?limit=5" + (cursor == null ? "" : "&cursor=" + cursor),
                    company.accessToken(), null);
            assertThat(page.status()).isEqualTo(200);
            page.body().get("entries").forEach(entry -> walked.add(entry.get("entry").asLong()));
            cursor = page.text("nextCursor");
            pages++;
        } while (cursor != null && pages < 20);

        assertThat(pages).isEqualTo(5);
        assertThat(walked).hasSize(23).doesNotHaveDuplicates().isSorted();
        assertThat(walked).isEqualTo(statement(company, "?limit=500").stream().map(e -> e.get("entry").asLong())
                .toList());
    }

    @Test
    void reservingBeyondTheAvailableFundsIsRefused() {
        CompanySession company = newCompany();
        credit(company.companyId(), "10.00");
        String accountId = AccountId.of(company.companyId());
        String held = "req-" + UUID.randomUUID();
        commands.sendAndWait(new ReserveFunds(accountId, company.companyId(), held, 6_000_000,
                Instant.now().plusSeconds(600), null));

        assertThatThrownBy(() -> commands.sendAndWait(new ReserveFunds(accountId, company.companyId(),
                "req-" + UUID.randomUUID(), 4_000_001, Instant.now().plusSeconds(600), null)))
                .isInstanceOf(InsufficientFundsException.class);
        await().atMost(Duration.ofSeconds(5)).until(() -> "6.00".equals(
                call(HttpMethod.GET, "/api/balance", company.accessToken(), null).text("reserved")));
        assertThat(call(HttpMethod.GET, "/api/balance", company.accessToken(), null).text("available"))
                .isEqualTo("4.00");

        commands.sendAndWait(new ReleaseReservation(accountId, held, "request cancelled"));
        commands.sendAndWait(new ReserveFunds(accountId, company.companyId(), "req-" + UUID.randomUUID(),
                10_000_000, Instant.now().plusSeconds(600), null));
    }

    @Test
    void rolesDecideWhoReadsTheLedger() {
        CompanySession company = newCompany();
        assertThat(call(HttpMethod.GET, "/api/balance", company.accessToken(), null).status()).isEqualTo(200);
        assertThat(call(HttpMethod.GET, "/api/statement", company.accessToken(), null).status()).isEqualTo(200);
        assertThat(call(HttpMethod.GET, "/api/balance", null, null).status()).isEqualTo(401);
        assertThat(call(HttpMethod.GET, "/api/statement", operatorToken(), null).status()).isEqualTo(403);
        assertThat(call(HttpMethod.POST, adjustments(company.companyId()), company.accessToken(),
                Map.of("amount", "1000.00", "reason", "free money")).status()).isEqualTo(403);
    }

    private void charge(String companyId, long holdMicros, long costMicros) {
        String accountId = AccountId.of(companyId);
        String requestId = "req-" + UUID.randomUUID();
        commands.sendAndWait(new ReserveFunds(accountId, companyId, requestId, holdMicros,
                Instant.now().plusSeconds(600), null));
        commands.sendAndWait(new SettleReservation(accountId, requestId, costMicros, "chat completion", null));
    }

    private Response adjust(String operator, String companyId, String amount, String idempotencyKey) {
        return call(HttpMethod.POST, adjustments(companyId), operator, Map.of("amount", amount, "reason", "test"),
                Map.of("Idempotency-Key", idempotencyKey == null ? "adj-" + UUID.randomUUID() : idempotencyKey));
    }

    private static String adjustments(String companyId) {
        return "/api/admin/companies/" + companyId + "/adjustments";
    }

    private String balanceOf(CompanySession company) {
        return call(HttpMethod.GET, "/api/balance", company.accessToken(), null).text("balance");
    }

    private List<JsonNode> statement(CompanySession company, String query) {
        Response page = call(HttpMethod.GET, "/api/statement" + query, company.accessToken(), null);
        assertThat(page.status()).as("%s", page.body()).isEqualTo(200);
        List<JsonNode> entries = new ArrayList<>();
        page.body().get("entries").forEach(entries::add);
        return entries;
    }
}
