package dev.aiagg.gateway.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aiagg.api.account.ChargeAgainstHold.CallCharge;
import dev.aiagg.api.account.ChargedAgainstHold;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A charge the ledger refuses is kept where operators see it, counted and listed, and can be charged again or
 * evicted through {@code /api/admin/charge-dead-letters}.
 */
class ChargeDeadLetterIT extends BillingIntegrationTest {

    private static final String LETTERS = "/api/admin/charge-dead-letters";

    @Autowired
    private CallHolds holds;

    @Autowired
    private JdbcChargeDeadLetters letters;

    @Autowired
    private JdbcTemplate jdbc;

    @Test
    void aChargeTheLedgerRefusesIsADeadLetterOperatorsSeeRetryAndEvict() {
        CompanySession company = newCompany();
        credit(company.companyId(), "10.00");
        String requestId = "req_" + UUID.randomUUID().toString().replace("-", "");
        CallHolds.Draw first = holds.draw(company.companyId(), "key_dl", null, 1_000);
        holds.charge(first, new CallCharge(requestId, 500, "m via openai/x", null));
        await().atMost(Duration.ofSeconds(10)).until(() -> charged(requestId) == 1);
        double keptBefore = deadLettered();

        // The same call charged again at another cost: the ledger cannot take both.
        CallHolds.Draw again = holds.draw(company.companyId(), "key_dl", null, 1_000);
        holds.charge(again, new CallCharge(requestId, 700, "m via openai/x", null));

        String operator = operatorToken();
        JsonNode letter = await().atMost(Duration.ofSeconds(10)).until(() -> find(operator, requestId),
                found -> found != null);
        assertThat(letter.get("code").asText()).isEqualTo("charge_conflict");
        assertThat(letter.get("reason").asText()).contains("was charged 500 micro-roubles before, not 700");
        assertThat(letter.get("cost").asText()).isEqualTo("0.0007");
        assertThat(letter.get("companyId").asText()).isEqualTo(company.companyId());
        assertThat(letter.get("holdId").asText()).isEqualTo(again.hold().id());
        assertThat(letter.get("attempts").asInt()).isEqualTo(1);
        assertThat(deadLettered()).isEqualTo(keptBefore + 1);
        assertThat(metric("aiagg_billing_charge_dead_letters")).isPositive();
        assertThat(call(HttpMethod.GET, LETTERS, company.accessToken(), null).status()).isEqualTo(403);

        Response retried = call(HttpMethod.POST, LETTERS + "/" + requestId + "/retry", operator, null);
        assertThat(retried.status()).isEqualTo(409);
        assertThat(retried.text("code")).isEqualTo("charge_refused");
        assertThat(find(operator, requestId).get("attempts").asInt()).isEqualTo(2);

        assertThat(call(HttpMethod.DELETE, LETTERS + "/" + requestId, operator, null).status()).isEqualTo(204);
        assertThat(find(operator, requestId)).isNull();
        Response gone = call(HttpMethod.DELETE, LETTERS + "/" + requestId, operator, null);
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.text("code")).isEqualTo("not_found");
        assertThat(charged(requestId)).as("charged once, at its first cost").isEqualTo(1);
    }

    @Test
    void aDeadLetterWhoseHoldIsGoneIsChargedAgainstTheBalanceOnRetry() {
        CompanySession company = newCompany();
        credit(company.companyId(), "10.00");
        CallHolds.Draw draw = holds.draw(company.companyId(), "key_dl_retry", null, 1_000);
        holds.giveBack(draw);
        String hold = draw.hold().id();
        await().atMost(Duration.ofSeconds(10)).until(() -> released(hold));
        // Refused by the ledger of an earlier version, which refused the calls of a hold already released.
        String requestId = "req_" + UUID.randomUUID().toString().replace("-", "");
        letters.keep(new RefusedCharge(company.companyId(), hold, new CallCharge(requestId, 300, "m via openai/x",
                null), "not_found", "no reservation " + hold, Instant.now()));
        String operator = operatorToken();

        Response retried = call(HttpMethod.POST, LETTERS + "/" + requestId + "/retry", operator, null);

        assertThat(retried.status()).as("retry: %s", retried.body()).isEqualTo(200);
        assertThat(retried.text("outcome")).isEqualTo("charged");
        assertThat(find(operator, requestId)).isNull();
        assertThat(charged(requestId)).isEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> "9.9997".equals(
                call(HttpMethod.GET, "/api/balance", company.accessToken(), null).text("balance")));
    }

    @Test
    void aRequestIdThatCannotBeOneIsABadRequest() {
        Response bad = call(HttpMethod.POST, LETTERS + "/" + "r".repeat(129) + "/retry", operatorToken(), null);

        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.text("code")).isEqualTo("invalid_input");
    }

    private JsonNode find(String operator, String requestId) {
        Response page = call(HttpMethod.GET, LETTERS + "?limit=500", operator, null);
        assertThat(page.status()).isEqualTo(200);
        for (JsonNode letter : page.body().get("deadLetters")) {
            if (letter.get("requestId").asText().equals(requestId)) {
                return letter;
            }
        }
        return null;
    }

    private int charged(String requestId) {
        return jdbc.queryForObject("""
                select count(*) from domain_event_entry
                where payload_type = ? and convert_from(payload, 'UTF8')::jsonb ->> 'requestId' = ?
                """, Integer.class, ChargedAgainstHold.class.getName(), requestId);
    }

    private boolean released(String holdId) {
        return jdbc.queryForObject("""
                select count(*) from domain_event_entry
                where payload_type = 'dev.aiagg.api.account.ReservationReleased'
                and convert_from(payload, 'UTF8')::jsonb ->> 'requestId' = ?
                """, Integer.class, holdId) == 1;
    }

    private double deadLettered() {
        return metric("aiagg_billing_charges_dead_lettered_total");
    }

    private double metric(String name) {
        Response scrape = call(HttpMethod.GET, "/actuator/prometheus", null, null, Map.of("Accept", "text/plain"));
        for (String line : scrape.body().asText().split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }
}
