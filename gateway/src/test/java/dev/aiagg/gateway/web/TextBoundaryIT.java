package dev.aiagg.gateway.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aiagg.api.account.AccountId;
import dev.aiagg.gateway.IntegrationTest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpMethod;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Control characters, invisible and bidirectional characters and broken surrogates in every string field of every
 * {@code /api} endpoint that takes one: a 400 naming the field, and nothing stored, neither an event nor a row of a
 * read model. Bodies are written as raw JSON, with the characters as JSON escapes, the way a hostile client sends
 * them; headers through a raw socket.
 */
class TextBoundaryIT extends IntegrationTest {

    /** JSON escapes: C0 (NUL, BEL, ESC, TAB, LF), DEL and C1. */
    private static final List<String> CONTROL = List.of("\\u0000", "\\u0007", "\\u001b", "\\t", "\\n", "\\u007f",
            "\\u0085", "\\u009b");
    /** JSON escapes: a right-to-left override, a zero-width space, an isolate, a BOM, a lone surrogate, U+2028. */
    private static final List<String> INVISIBLE = List.of("\\u202e", "\\u200b", "\\u2066", "\\ufeff", "\\ud800",
            "\\u2028");
    private static final List<String> ALL = concat(CONTROL, INVISIBLE);

    @Autowired
    private JdbcClient jdbc;

    @LocalServerPort
    private int port;

    /** In every refused value, so that a search of the event store and the read models finds any that got in. */
    private final String marker = "evil" + UUID.randomUUID().toString().substring(0, 8);

    @Test
    void registrationRefusesForbiddenTextAnonymously() {
        for (String bad : ALL) {
            refused(post("/api/companies", null, registration(value(bad), email(), "correct-horse-42", null)), "name");
            refused(post("/api/companies", null, registration("Acme", marker + bad + "@example.com",
                    "correct-horse-42", null)), "email");
            refused(post("/api/companies", null, registration("Acme", email(), "correct-horse-42", value(bad))),
                    "referralCode");
        }
        for (String bad : CONTROL) {
            refused(post("/api/companies", null, registration("Acme", email(), "correct" + bad + "horse-42", null)),
                    "password");
        }
        refused(post("/api/companies", null, registration(" Acme", email(), "correct-horse-42", null)), "name");
        assertNothingStored();
    }

    @Test
    void cyrillicNamesAreWelcome() {
        String email = email();
        Response registered = post("/api/companies", null,
                registration("ООО \\\"Ромашка\\\" «Лютик» №1", email, "correct-horse-42", null));
        assertThat(registered.status()).as("%s", registered.body()).isEqualTo(201);
        String token = login(email, "correct-horse-42", randomClientIp()).text("accessToken");

        Response key = post("/api/keys", token, "{\"name\":\"Бухгалтерия\"}");

        assertThat(key.status()).as("%s", key.body()).isEqualTo(201);
        assertThat(key.text("name")).isEqualTo("Бухгалтерия");
        assertThat(call(HttpMethod.GET, "/api/companies/me", token, null).text("name"))
                .isEqualTo("ООО \"Ромашка\" «Лютик» №1");
    }

    @Test
    void signInRefusesAnEmailWithControlCharactersAndNeverFailsOnThem() {
        Map<String, String> from = Map.of("X-Forwarded-For", randomClientIp());
        for (String bad : ALL) {
            Response email = post("/api/auth/login", null,
                    "{\"email\":\"" + marker + bad + "@example.com\",\"password\":\"correct-horse-42\"}", from);
            refused(email, "email");
            Response password = post("/api/auth/login", null,
                    "{\"email\":\"" + email() + "\",\"password\":\"" + value(bad) + "\"}", from);
            assertThat(password.status()).as("password %s: %s", bad, password.body()).isIn(400, 401);
            Response refresh = post("/api/auth/refresh", null, "{\"refreshToken\":\"" + value(bad) + "\"}");
            assertThat(refresh.status()).as("refresh %s: %s", bad, refresh.body()).isIn(400, 401);
            Response logout = post("/api/auth/logout", null, "{\"refreshToken\":\"" + value(bad) + "\"}");
            assertThat(logout.status()).as("logout %s: %s", bad, logout.body()).isIn(204, 400);
        }
        assertNothingStored();
    }

    @Test
    void membersAndKeysRefuseForbiddenText() {
        CompanySession company = newCompany();
        String token = company.accessToken();
        String keyId = post("/api/keys", token, "{\"name\":\"ok\"}").text("id");
        long before = eventsOf(company.companyId());

        for (String bad : ALL) {
            refused(post("/api/companies/me/members", token, "{\"email\":\"" + marker + bad
                    + "@example.com\",\"password\":\"correct-horse-42\",\"role\":\"VIEWER\"}"), "email");
            refused(post("/api/companies/me/members", token, "{\"email\":\"" + email()
                    + "\",\"password\":\"correct-horse-42\",\"role\":\"VIEWER" + bad + "\"}"), "role");
            refused(post("/api/keys", token, "{\"name\":\"" + value(bad) + "\"}"), "name");
            refused(post("/api/keys", token, "{\"name\":\"ok\",\"models\":[\"gpt-4o\",\"" + value(bad) + "\"]}"),
                    "models[1]");
        }
        for (String bad : CONTROL) {
            refused(post("/api/companies/me/members", token, "{\"email\":\"" + email() + "\",\"password\":\"correct"
                    + bad + "horse-42\",\"role\":\"VIEWER\"}"), "password");
        }
        for (String id : List.of(keyId + "\u202e", "ключ", keyId + "\u200b", "key id")) {
            refused(call(HttpMethod.POST, "/api/keys/" + id + "/rotate", token, null), "id");
            refused(call(HttpMethod.DELETE, "/api/keys/" + id, token, null), "id");
        }
        for (String id : List.of(keyId + "\u0000", keyId + "\u0007")) {
            assertProblem(call(HttpMethod.DELETE, "/api/keys/" + id, token, null), 400);
        }

        assertThat(eventsOf(company.companyId())).isEqualTo(before);
        assertThat(call(HttpMethod.GET, "/api/keys", token, null).body().get("keys")).hasSize(1);
        assertThat(call(HttpMethod.GET, "/api/companies/me", token, null).body().get("members")).hasSize(1);
        assertNothingStored();
    }

    @Test
    void operatorsEndpointsRefuseForbiddenText() throws Exception {
        CompanySession company = newCompany();
        String operator = operatorToken();
        String adjustments = "/api/admin/companies/" + company.companyId() + "/adjustments";
        long before = eventsOf(company.companyId()) + eventsOf(AccountId.of(company.companyId()));

        for (String bad : ALL) {
            refused(post(adjustments, operator, "{\"amount\":\"1.00\",\"reason\":\"" + value(bad) + "\"}",
                    Map.of("Idempotency-Key", "adj-" + UUID.randomUUID())), "reason");
            refused(post("/api/admin/companies/" + company.companyId() + "/suspend", operator,
                    "{\"reason\":\"" + value(bad) + "\"}"), "reason");
            String model = "m-" + UUID.randomUUID().toString().substring(0, 8);
            refused(put("/api/admin/models/" + model, operator, model("openai", value(bad), "RUB")),
                    "deployments[0].upstreamModel");
            refused(put("/api/admin/models/" + model, operator, model("openai" + bad, "gpt-4o", "RUB")),
                    "deployments[0].provider");
            refused(put("/api/admin/models/" + model, operator, model("openai", "gpt-4o", "RUB" + bad)), "currency");
        }
        for (String id : List.of(company.companyId() + "\u202e", "компания", "a b")) {
            refused(post("/api/admin/companies/" + id + "/adjustments", operator,
                    "{\"amount\":\"1.00\",\"reason\":\"x\"}", Map.of("Idempotency-Key", "adj-" + UUID.randomUUID())),
                    "id");
            refused(post("/api/admin/companies/" + id + "/suspend", operator, "{\"reason\":\"x\"}"), "id");
            refused(post("/api/admin/companies/" + id + "/reactivate", operator, null), "id");
            refused(put("/api/admin/models/" + id, operator, model("openai", "gpt-4o", "RUB")), "modelId");
            refused(call(HttpMethod.DELETE, "/api/admin/models/" + id, operator, null), "modelId");
            refused(call(HttpMethod.POST, "/api/admin/processors/" + id + "/pause", operator, null), "name");
        }
        for (String key : List.of("ключ", "key\u0001", "key\u202e", "key with spaces")) {
            RawHttp.Answer answer = RawHttp.send(port, ("POST " + adjustments + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "Authorization: Bearer " + operator + "\r\nContent-Type: application/json\r\n"
                    + "Idempotency-Key: " + key).getBytes(StandardCharsets.UTF_8),
                    "{\"amount\":\"1.00\",\"reason\":\"x\"}".getBytes(StandardCharsets.UTF_8));
            assertThat(answer.status()).as("Idempotency-Key %s: %s", key, answer.body()).isEqualTo(400);
            assertThat(answer.header("Content-Type")).isEqualTo("application/problem+json");
        }

        assertThat(eventsOf(company.companyId()) + eventsOf(AccountId.of(company.companyId()))).isEqualTo(before);
        assertThat(call(HttpMethod.GET, "/api/balance", company.accessToken(), null).text("balance"))
                .isEqualTo("0.00");
        assertThat(call(HttpMethod.GET, "/api/admin/models", operator, null).body().toString()).doesNotContain(marker);
        assertNothingStored();
    }

    @Test
    void statementUsageAndListFiltersRefuseForbiddenText() {
        String token = newCompany().accessToken();
        String operator = operatorToken();
        // A lone surrogate cannot be sent in a URL at all.
        for (String bad : List.of("\u0000", "\u0007", "\u007f", "\u0085", "\u202e", "\u2028")) {
            for (String parameter : List.of("from", "to", "type", "cursor", "limit")) {
                refused(call(HttpMethod.GET, "/api/statement?" + parameter + "=2026-01-01" + bad, token, null),
                        parameter);
            }
            for (String parameter : List.of("from", "to", "groupBy")) {
                refused(call(HttpMethod.GET, "/api/usage?" + parameter + "=2026-01-01" + bad, token, null),
                        parameter);
            }
            for (String parameter : List.of("offset", "limit")) {
                refused(call(HttpMethod.GET, "/api/admin/companies?" + parameter + "=1" + bad, operator, null),
                        parameter);
            }
        }
    }

    private String value(String bad) {
        return marker + bad + "x";
    }

    private static String email() {
        return "text-" + UUID.randomUUID() + "@example.com";
    }

    private static String registration(String name, String email, String password, String referralCode) {
        return "{\"name\":\"" + name + "\",\"email\":\"" + email + "\",\"password\":\"" + password + "\""
                + (referralCode == null ? "" : ",\"referralCode\":\"" + referralCode + "\"") + "}";
    }

    private static String model(String provider, String upstreamModel, String currency) {
        return "{\"deployments\":[{\"provider\":\"" + provider + "\",\"upstreamModel\":\"" + upstreamModel
                + "\",\"priority\":1,\"weight\":1}],\"prices\":{\"input\":\"1\",\"cachedInput\":\"1\",\"output\":\"1\"},"
                + "\"currency\":\"" + currency + "\",\"markup\":\"0\"}";
    }

    private Response post(String path, String token, String body) {
        return post(path, token, body, Map.of());
    }

    private Response post(String path, String token, String body, Map<String, String> headers) {
        return call(HttpMethod.POST, path, token, body, headers);
    }

    private Response put(String path, String token, String body) {
        return call(HttpMethod.PUT, path, token, body);
    }

    private static void refused(Response response, String field) {
        assertProblem(response, 400);
        List<String> fields = new ArrayList<>();
        response.body().path("errors").forEach(error -> fields.add(error.get("field").asText()));
        assertThat(fields).as("fields named by %s", response.body()).contains(field);
    }

    private static void assertProblem(Response response, int status) {
        assertThat(response.status()).as("%s", response.body()).isEqualTo(status);
        assertThat(response.headers().getContentType()).hasToString("application/problem+json");
    }

    private long eventsOf(String aggregateId) {
        return jdbc.sql("SELECT count(*) FROM domain_event_entry WHERE aggregate_identifier = :id")
                .param("id", aggregateId)
                .query(Long.class).single();
    }

    /** No event, credential or read-model row carries the marker of a refused value. */
    private void assertNothingStored() {
        assertThat(jdbc.sql("SELECT count(*) FROM domain_event_entry WHERE convert_from(payload, 'UTF8') LIKE :m")
                .param("m", "%" + marker + "%").query(Long.class).single()).isZero();
        assertThat(jdbc.sql("SELECT count(*) FROM member_credential WHERE email LIKE :m")
                .param("m", "%" + marker + "%").query(Long.class).single()).isZero();
        JsonNode companies = call(HttpMethod.GET, "/api/admin/companies?limit=200", operatorToken(), null).body();
        assertThat(companies.toString()).doesNotContain(marker);
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return List.copyOf(all);
    }
}
