package dev.aiagg.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aiagg.gateway.apikey.ApiKeyAuthenticator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;

import static org.assertj.core.api.Assertions.assertThat;

/** Company B, holding its own valid token, points every {@code /api} endpoint at company A. */
class TenantIsolationIT extends IntegrationTest {

    @Autowired
    private ApiKeyAuthenticator authenticator;

    private CompanySession a;
    private CompanySession b;
    private String aKeyId;
    private String aSecret;

    @BeforeEach
    void twoCompanies() {
        a = newCompany();
        b = newCompany();
        credit(a.companyId(), "100.00");
        Response issued = call(HttpMethod.POST, "/api/keys", a.accessToken(), Map.of("name", "a's key"));
        assertThat(issued.status()).isEqualTo(201);
        aKeyId = issued.text("id");
        aSecret = issued.text("secret");
    }

    @Test
    void anotherCompanysKeysCannotBeTouched() {
        assertThat(call(HttpMethod.POST, "/api/keys/" + aKeyId + "/rotate", b.accessToken(), null).status())
                .isEqualTo(404);
        assertThat(call(HttpMethod.POST, "/api/keys/" + aKeyId + "/rotate", b.accessToken(),
                Map.of("graceSeconds", 0)).status()).isEqualTo(404);
        assertThat(call(HttpMethod.DELETE, "/api/keys/" + aKeyId, b.accessToken(), null).status()).isEqualTo(404);

        Response bKeys = call(HttpMethod.GET, "/api/keys", b.accessToken(), null);
        assertThat(bKeys.status()).isEqualTo(200);
        assertThat(bKeys.body().get("keys")).isEmpty();

        assertThat(authenticator.authenticate(aSecret)).get()
                .satisfies(key -> assertThat(key.companyId()).isEqualTo(a.companyId()));
        JsonNode aKeys = call(HttpMethod.GET, "/api/keys", a.accessToken(), null).body().get("keys");
        assertThat(aKeys.get(0).get("status").asText()).isEqualTo("ACTIVE");
        assertThat(aKeys.get(0).get("rotatedAt").isNull()).isTrue();
    }

    @Test
    void balanceStatementAndUsageShowOnlyTheCallersOwnCompany() {
        Response balance = call(HttpMethod.GET, "/api/balance", b.accessToken(), null);
        assertThat(balance.status()).isEqualTo(200);
        assertThat(balance.text("balance")).isEqualTo("0.00");
        assertThat(balance.text("available")).isEqualTo("0.00");

        for (String query : List.of("", "?companyId=" + a.companyId(), "?type=ADJUSTMENT", "?cursor=0")) {
            Response statement = call(HttpMethod.GET, "/api/statement" + query, b.accessToken(), null);
            assertThat(statement.status()).isEqualTo(200);
            assertThat(statement.body().get("entries")).as(query).isEmpty();
        }
        assertThat(call(HttpMethod.GET, "/api/balance?companyId=" + a.companyId(), b.accessToken(), null)
                .text("balance")).isEqualTo("0.00");
        for (String query : List.of("", "?companyId=" + a.companyId(), "?groupBy=key", "?groupBy=model")) {
            Response usage = call(HttpMethod.GET, "/api/usage" + query, b.accessToken(), null);
            assertThat(usage.status()).isEqualTo(200);
            assertThat(usage.body().get("rows")).as(query).isEmpty();
        }

        Response me = call(HttpMethod.GET, "/api/companies/me", b.accessToken(), null);
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.text("companyId")).isEqualTo(b.companyId());
        assertThat(me.body().toString()).doesNotContain(a.companyId()).doesNotContain(a.email());

        assertThat(call(HttpMethod.GET, "/api/balance", a.accessToken(), null).text("balance")).isEqualTo("100.00");
    }

    @Test
    void everyOperatorEndpointIsForbiddenToACompany() {
        for (String company : List.of(a.companyId(), b.companyId())) {
            String base = "/api/admin/companies/" + company;
            assertForbidden(HttpMethod.POST, base + "/adjustments", Map.of("amount", "1000.00", "reason", "mine"));
            assertForbidden(HttpMethod.POST, base + "/suspend", Map.of("reason", "competitor"));
            assertForbidden(HttpMethod.POST, base + "/reactivate", null);
        }
        assertForbidden(HttpMethod.GET, "/api/admin/companies", null);
        assertForbidden(HttpMethod.GET, "/api/admin/companies?offset=0&limit=10", null);
        assertForbidden(HttpMethod.GET, "/api/admin/processors", null);
        assertForbidden(HttpMethod.GET, "/api/admin/models", null);
        assertForbidden(HttpMethod.PUT, "/api/admin/models/gpt-4o-mini", Map.of("deployments",
                List.of(Map.of("provider", "demo", "upstreamModel", "free", "priority", 0, "weight", 1)),
                "prices", Map.of("input", "0", "cachedInput", "0", "output", "0"), "currency", "RUB",
                "markup", "0"));
        assertForbidden(HttpMethod.DELETE, "/api/admin/models/gpt-4o-mini", null);
        for (String action : List.of("pause", "resume", "replay")) {
            assertForbidden(HttpMethod.POST, "/api/admin/processors/balance/" + action, null);
            assertForbidden(HttpMethod.POST, "/api/admin/processors/no-such-processor/" + action, null);
        }

        assertThat(call(HttpMethod.GET, "/api/balance", a.accessToken(), null).text("balance")).isEqualTo("100.00");
        assertThat(call(HttpMethod.GET, "/api/balance", b.accessToken(), null).text("balance")).isEqualTo("0.00");
        assertThat(authenticator.authenticate(aSecret)).isPresent();
    }

    @Test
    void operatorEndpointsWorkForTheOperator() {
        String operator = operatorToken();
        Response companies = call(HttpMethod.GET, "/api/admin/companies?limit=200", operator, null);
        assertThat(companies.status()).isEqualTo(200);
        assertThat(companies.body().get("total").asLong()).isGreaterThanOrEqualTo(2);
        assertThat(call(HttpMethod.GET, "/api/admin/companies?limit=0", operator, null).status()).isEqualTo(400);
        assertThat(call(HttpMethod.GET, "/api/admin/companies?offset=-1", operator, null).status()).isEqualTo(400);

        Response processors = call(HttpMethod.GET, "/api/admin/processors", operator, null);
        assertThat(processors.status()).isEqualTo(200);
        assertThat(processors.body().get("processors").findValuesAsText("name"))
                .contains("ledger", "api-keys", "companies", "rabbitmq-publication");
        assertThat(call(HttpMethod.POST, "/api/admin/processors/no-such-processor/pause", operator, null).status())
                .isEqualTo(404);
        assertThat(call(HttpMethod.POST, "/api/admin/processors/no-such-processor/replay", operator, null).status())
                .isEqualTo(404);
        assertThat(call(HttpMethod.POST, "/api/admin/companies/no-such-company/reactivate", operator, null)
                .status()).isEqualTo(404);
    }

    private void assertForbidden(HttpMethod method, String path, Object body) {
        assertThat(call(method, path, b.accessToken(), body).status()).as("%s %s with a company token", method, path)
                .isEqualTo(403);
        assertThat(call(method, path, null, body).status()).as("%s %s without a token", method, path)
                .isEqualTo(401);
    }
}
