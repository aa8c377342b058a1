package dev.aiagg.gateway.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aiagg.gateway.IntegrationTest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpMethod;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests that used to get a 500, Tomcat's HTML page or Spring Boot's error JSON: every error is in the format of
 * the API that was called, RFC 7807 on {@code /api} and elsewhere, OpenAI's on {@code /v1}, Anthropic's on
 * {@code /v1/messages}. Most are sent through a raw socket, since an ordinary client refuses to send such bytes.
 */
class ErrorFormatIT extends IntegrationTest {

    @LocalServerPort
    private int port;

    @Autowired
    private ObjectMapper json;

    @Test
    void requestsTheContainerRefusesAreAnsweredInTheFormatOfTheirApi() throws Exception {
        for (String target : List.of("/api/a%zz", "/api/a b", "/api/%00", "/api/a%2Fb", "/actuator/%zz",
                "/api/balance/..;/x")) {
            assertProblem(RawHttp.send(port, "GET " + target + " HTTP/1.1\r\nHost: localhost"), 400);
        }
        for (String target : List.of("/v1/chat/completions%zz", "/v1/models/%00", "/v1/a b", "/v1/a//b")) {
            assertOpenAiError(RawHttp.send(port, "POST " + target + " HTTP/1.1\r\nHost: localhost"), 400);
        }
        assertAnthropicError(RawHttp.send(port, "POST /v1/messages/%zz HTTP/1.1\r\nHost: localhost"), 400);
        assertProblem(RawHttp.send(port, "GARBAGE\r\nHost: localhost"), 400);
        assertProblem(RawHttp.send(port, "GET /api/balance HTTP/1.1\r\nHost: localhost\r\nX-Bad: a\u0001b"), 400);
        assertOpenAiError(RawHttp.send(port, "GET /v1/models HTTP/1.1\r\nHost: localhost\r\nX-Bad: a\u0001b"), 400);
        assertProblem(RawHttp.send(port, "GET /api/balance HTTP/1.1\r\nHost: localhost\r\nContent-Length: x"), 400);
    }

    @Test
    void theErrorPageItselfIsNothingSpecial() throws Exception {
        assertProblem(RawHttp.send(port, "GET /error HTTP/1.1\r\nHost: localhost"), 404);
        assertProblem(RawHttp.send(port, "POST /error HTTP/1.1\r\nHost: localhost"), 404);
    }

    @Test
    void springMvcRefusalsOnTheLlmApiSpeakItsDialect() throws Exception {
        assertOpenAiError(RawHttp.send(port, "GET /v1/chat/completions HTTP/1.1\r\nHost: localhost"), 405);
        assertOpenAiError(RawHttp.send(port, "GET /v1/no-such-thing HTTP/1.1\r\nHost: localhost"), 404);
        assertAnthropicError(RawHttp.send(port, "GET /v1/messages HTTP/1.1\r\nHost: localhost"), 405);
        assertProblem(RawHttp.send(port, "GET /api/no-such-thing HTTP/1.1\r\nHost: localhost"), 401);
    }

    @Test
    void aNulInAModelIdOrASignInEmailIsA400() throws Exception {
        String operator = operatorToken();
        assertProblem(RawHttp.send(port, ("PUT /api/admin/models/%00 HTTP/1.1\r\nHost: localhost\r\n"
                        + "Authorization: Bearer " + operator + "\r\nContent-Type: application/json")
                        .getBytes(StandardCharsets.US_ASCII), "{}".getBytes(StandardCharsets.US_ASCII)), 400);
        assertThat(call(HttpMethod.PUT, "/api/admin/models/gpt%00", operator, "{}").status()).isEqualTo(400);

        Response login = call(HttpMethod.POST, "/api/auth/login", null,
                "{\"email\":\"owner\\u0000@example.com\",\"password\":\"correct-horse-42\"}",
                Map.of("X-Forwarded-For", randomClientIp()));
        assertThat(login.status()).isEqualTo(400);
        assertThat(login.body().get("errors").get(0).get("field").asText()).isEqualTo("email");
    }

    @Test
    void periodsOutOfRangeAreA400NamingTheParameter() {
        String token = newCompany().accessToken();
        Map<String, String> outOfRange = Map.of(
                "from=%2B99999-01-01", "from",
                "to=-1000000000-01-01T00:00:00Z", "to",
                "from=1969-12-31T23:59:59Z", "from",
                "to=%2B999999999-12-31", "to",
                "from=%2B1000000000-12-31T23:59:59.999999999Z", "from",
                "to=9999-12-31", "");
        for (String path : List.of("/api/statement?", "/api/usage?")) {
            outOfRange.forEach((query, field) -> {
                Response answer = call(HttpMethod.GET, path + query, token, null);
                if (field.isEmpty()) {
                    assertThat(answer.status()).as("%s%s: %s", path, query, answer.body()).isEqualTo(200);
                } else {
                    assertThat(answer.status()).as("%s%s: %s", path, query, answer.body()).isEqualTo(400);
                    assertThat(answer.body().get("errors").get(0).get("field").asText()).isEqualTo(field);
                }
            });
        }
    }

    @Test
    void headerValuesOutsideAsciiAreRefusedOrReplacedNeverAServerError() throws Exception {
        String operator = operatorToken();
        CompanySession company = newCompany();
        byte[] cyrillic = "ключ".getBytes(StandardCharsets.UTF_8);

        RawHttp.Answer adjustment = RawHttp.send(port, head("POST /api/admin/companies/" + company.companyId()
                + "/adjustments HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + operator
                + "\r\nContent-Type: application/json\r\nIdempotency-Key: ", cyrillic),
                "{\"amount\":\"1.00\",\"reason\":\"x\"}".getBytes(StandardCharsets.US_ASCII));
        assertProblem(adjustment, 400);
        String secret = call(HttpMethod.POST, "/api/keys", company.accessToken(), Map.of("name", "raw"))
                .text("secret");
        RawHttp.Answer version = RawHttp.send(port, head("POST /v1/messages HTTP/1.1\r\nHost: localhost\r\n"
                + "x-api-key: " + secret + "\r\nContent-Type: application/json\r\nanthropic-version: ", cyrillic),
                "{}".getBytes(StandardCharsets.US_ASCII));
        assertAnthropicError(version, 400);

        RawHttp.Answer balance = RawHttp.send(port, head("GET /api/balance HTTP/1.1\r\nHost: localhost\r\n"
                + "Authorization: Bearer " + company.accessToken() + "\r\nX-Request-Id: ", cyrillic), new byte[0]);
        assertThat(balance.status()).isEqualTo(200);
        assertThat(balance.header("X-Request-Id")).matches("[0-9a-f-]{36}");

        RawHttp.Answer models = RawHttp.send(port, head("GET /v1/models HTTP/1.1\r\nHost: localhost\r\n"
                + "X-Request-Id: ", cyrillic), new byte[0]);
        assertOpenAiError(models, 401);

        RawHttp.Answer statement = RawHttp.send(port, head("GET /api/statement HTTP/1.1\r\nHost: localhost\r\n"
                + "Authorization: Bearer " + company.accessToken() + "\r\nX-Request-Id: ", cyrillic), new byte[0]);
        assertThat(statement.status()).isEqualTo(200);
        assertThat(call(HttpMethod.GET, "/api/balance", company.accessToken(), null).text("balance"))
                .isEqualTo("0.00");
    }

    @Test
    void aForwardedAddressThatIsNoAddressIsRefused() {
        Response login = call(HttpMethod.POST, "/api/auth/login", null,
                Map.of("email", "nobody-" + UUID.randomUUID() + "@example.com", "password", "whatever-42"),
                Map.of("X-Forwarded-For", "<script>"));

        assertThat(login.status()).isEqualTo(400);
        assertThat(login.body().get("errors").get(0).get("field").asText()).isEqualTo("X-Forwarded-For");
    }

    private static byte[] head(String start, byte[] rawValue) {
        byte[] prefix = start.getBytes(StandardCharsets.US_ASCII);
        byte[] head = new byte[prefix.length + rawValue.length];
        System.arraycopy(prefix, 0, head, 0, prefix.length);
        System.arraycopy(rawValue, 0, head, prefix.length, rawValue.length);
        return head;
    }

    private void assertProblem(RawHttp.Answer answer, int status) throws Exception {
        assertThat(answer.status()).as("%s", answer.body()).isEqualTo(status);
        assertThat(answer.header("Content-Type")).isEqualTo("application/problem+json");
        JsonNode problem = json.readTree(answer.body());
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("code").asText()).isNotBlank();
        assertThat(problem.get("type").asText()).startsWith("urn:aiagg:problem:");
    }

    private void assertOpenAiError(RawHttp.Answer answer, int status) throws Exception {
        assertThat(answer.status()).as("%s", answer.body()).isEqualTo(status);
        assertThat(answer.header("Content-Type")).isEqualTo("application/json");
        JsonNode error = json.readTree(answer.body()).get("error");
        assertThat(error.get("message").asText()).isNotBlank();
        assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
        assertThat(error.has("param")).isTrue();
        assertThat(error.has("code")).isTrue();
    }

    private void assertAnthropicError(RawHttp.Answer answer, int status) throws Exception {
        assertThat(answer.status()).as("%s", answer.body()).isEqualTo(status);
        assertThat(answer.header("Content-Type")).isEqualTo("application/json");
        JsonNode body = json.readTree(answer.body());
        assertThat(body.get("type").asText()).isEqualTo("error");
        assertThat(body.get("error").get("type").asText()).isNotBlank();
        assertThat(body.get("error").get("message").asText()).isNotBlank();
    }
}
