package dev.aiagg.gateway.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aiagg.gateway.AiAggregatorApplication;
import dev.aiagg.gateway.FakeUpstream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;

/**
 * The whole application in a context of its own, for tests that close it or cut it off from its database: on the
 * embedded default's profile, every provider at {@link FakeUpstream}, with an operator.
 */
final class TestNode implements AutoCloseable {

    static final String OPERATOR_EMAIL = "operator@node.test";
    static final String OPERATOR_PASSWORD = "operator-secret-42";
    static final String PASSWORD = "correct-horse-42";

    record Answer(int status, JsonNode body, HttpHeaders headers) {
    }

    record Tenant(String companyId, String accessToken, String secret) {
    }

    final ConfigurableApplicationContext context;
    private final RestClient http;
    private final ObjectMapper json = new ObjectMapper();

    private TestNode(ConfigurableApplicationContext context) {
        this.context = context;
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        this.http = RestClient.create("http://127.0.0.1:" + port);
    }

    /** @param settings more {@code --name=value} arguments */
    static TestNode start(String... settings) {
        List<String> args = new ArrayList<>(List.of("--server.port=0",
                "--aiagg.admin.email=" + OPERATOR_EMAIL, "--aiagg.admin.password=" + OPERATOR_PASSWORD,
                "--aiagg.providers.openai.base-url=" + FakeUpstream.baseUrl() + "/v1",
                "--aiagg.providers.openai.api-key=fake-openai-key",
                "--aiagg.providers.anthropic.base-url=" + FakeUpstream.baseUrl(),
                "--aiagg.providers.anthropic.api-key=fake-anthropic-key",
                "--logging.level.root=WARN"));
        args.addAll(List.of(settings));
        return new TestNode(new SpringApplicationBuilder(AiAggregatorApplication.class)
                .run(args.toArray(String[]::new)));
    }

    int port() {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    Answer call(HttpMethod method, String path, String bearer, Object body) {
        return call(method, path, bearer, body, Map.of());
    }

    Answer call(HttpMethod method, String path, String bearer, Object body, Map<String, String> headers) {
        RestClient.RequestBodySpec request = http.method(method).uri(path)
                .accept(MediaType.APPLICATION_JSON, MediaType.APPLICATION_PROBLEM_JSON)
                .headers(h -> {
                    if (bearer != null) {
                        h.setBearerAuth(bearer);
                    }
                    h.set("anthropic-version", "2023-06-01");
                    headers.forEach(h::set);
                });
        if (body != null) {
            request.contentType(MediaType.APPLICATION_JSON).body(body);
        }
        return request.exchange((req, res) -> {
            byte[] bytes = res.getBody().readAllBytes();
            return new Answer(res.getStatusCode().value(), parse(bytes), res.getHeaders());
        });
    }

    String operatorToken() {
        Answer login = call(HttpMethod.POST, "/api/auth/login", null,
                Map.of("email", OPERATOR_EMAIL, "password", OPERATOR_PASSWORD));
        assertThat(login.status()).as("operator login: %s", login.body()).isEqualTo(200);
        return login.body().get("accessToken").asText();
    }

    /** A model at the fake provider's {@code upstreamModel}, priced in RUB, completion cap 100. */
    String defineModel(String upstreamModel) {
        String modelId = "node-" + UUID.randomUUID().toString().substring(0, 8);
        Answer defined = call(HttpMethod.PUT, "/api/admin/models/" + modelId, operatorToken(), Map.of(
                "deployments", List.of(Map.of("provider", "openai", "upstreamModel", upstreamModel, "priority", 1,
                        "weight", 1)),
                "prices", Map.of("input", "150", "cachedInput", "75", "output", "600"),
                "currency", "RUB", "markup", "0", "defaultCompletionCap", 100));
        assertThat(defined.status()).as("model: %s", defined.body()).isBetween(200, 201);
        return modelId;
    }

    /** A company with this much credit and a key. */
    Tenant tenant(String credit) {
        String email = "owner-" + UUID.randomUUID() + "@example.com";
        Answer registered = call(HttpMethod.POST, "/api/companies", null,
                Map.of("name", "Company " + email, "email", email, "password", PASSWORD));
        assertThat(registered.status()).as("registration: %s", registered.body()).isEqualTo(201);
        String companyId = registered.body().get("companyId").asText();
        Answer login = call(HttpMethod.POST, "/api/auth/login", null, Map.of("email", email, "password", PASSWORD));
        String token = login.body().get("accessToken").asText();
        await().atMost(Duration.ofSeconds(10)).until(() ->
                call(HttpMethod.GET, "/api/companies/me", token, null).status() == 200);
        Answer credited = call(HttpMethod.POST, "/api/admin/companies/" + companyId + "/adjustments",
                operatorToken(), Map.of("amount", credit, "reason", "test credit"),
                Map.of("Idempotency-Key", "credit-" + companyId));
        assertThat(credited.status()).as("credit: %s", credited.body()).isBetween(200, 299);
        Answer key = call(HttpMethod.POST, "/api/keys", token, Map.of("name", "node test"));
        assertThat(key.status()).as("key: %s", key.body()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(10)).until(() ->
                !"0.00".equals(call(HttpMethod.GET, "/api/balance", token, null).body().get("balance").asText()));
        return new Tenant(companyId, token, key.body().get("secret").asText());
    }

    Answer chat(String secret, String model) {
        return call(HttpMethod.POST, "/v1/chat/completions", secret, Map.of("model", model,
                "messages", List.of(Map.of("role", "user", "content", "hi"))));
    }

    @Override
    public void close() {
        context.close();
    }

    private JsonNode parse(byte[] bytes) throws IOException {
        if (bytes.length == 0) {
            return null;
        }
        try {
            return json.readTree(bytes);
        } catch (IOException notJson) {
            return json.getNodeFactory().textNode(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
        }
    }
}
