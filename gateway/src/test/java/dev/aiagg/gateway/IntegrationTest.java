package dev.aiagg.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.web.client.RestClient;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Base of every integration test: the whole application on a random port against the real PostgreSQL, Redis and
 * RabbitMQ of this machine. All subclasses share one configuration, hence one Spring context per test run; metrics
 * export stays on (Boot turns it off in tests by default) so that {@code /actuator/prometheus} is real.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureObservability
@ActiveProfiles({"prod", "it"})
public abstract class IntegrationTest {

    static final String DATABASE = "aiagg_it";
    static final String OPERATOR_EMAIL = "operator@aiagg.test";
    static final String OPERATOR_PASSWORD = "operator-secret-42";
    protected static final String PASSWORD = "correct-horse-42";

    private static boolean prepared;

    static {
        prepareOnce();
    }

    @LocalServerPort
    private int port;

    /** Every provider points at the fake one; nothing leaves this machine. */
    @DynamicPropertySource
    static void providers(DynamicPropertyRegistry registry) {
        registry.add("aiagg.providers.openai.base-url", () -> FakeUpstream.baseUrl() + "/v1");
        registry.add("aiagg.providers.openai.api-key", () -> "fake-openai-key");
        registry.add("aiagg.providers.anthropic.base-url", FakeUpstream::baseUrl);
        registry.add("aiagg.providers.anthropic.api-key", () -> "fake-anthropic-key");
        registry.add("aiagg.providers.openrouter.base-url", () -> FakeUpstream.baseUrl() + "/v1");
        registry.add("aiagg.providers.openrouter.api-key", () -> "fake-openrouter-key");
        // Tests read the balance right after their calls: a key's idle hold is given back sooner than by default.
        registry.add("aiagg.llm.hold-idle", () -> "200ms");
    }

    @Autowired
    private ObjectMapper objectMapper;

    /** A fresh database, and no login counters left from an earlier run, before the one context starts. */
    private static synchronized void prepareOnce() {
        if (prepared) {
            return;
        }
        recreateDatabase(DATABASE);
        RedisClient redis = RedisClient.create("redis://127.0.0.1:6379");
        try (StatefulRedisConnection<String, String> connection = redis.connect()) {
            List<String> keys = connection.sync().keys("aiagg:throttle:*");
            if (!keys.isEmpty()) {
                connection.sync().del(keys.toArray(String[]::new));
            }
        } finally {
            redis.shutdown();
        }
        prepared = true;
    }

    /** An empty database of this name on this machine's PostgreSQL. */
    protected static void recreateDatabase(String database) {
        try (Connection connection = DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "");
             Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            statement.execute("CREATE DATABASE " + database);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot recreate database " + database, e);
        }
    }

    public record Response(int status, JsonNode body, HttpHeaders headers) {

        public String text(String field) {
            JsonNode node = body == null ? null : body.get(field);
            return node == null || node.isNull() ? null : node.asText();
        }
    }

    public record CompanySession(String companyId, String email, String password, String accessToken,
                                 String refreshToken, String referralCode) {
    }

    protected Response call(HttpMethod method, String path, String bearerToken, Object body) {
        return call(method, path, bearerToken, body, Map.of());
    }

    /** As {@link #call(HttpMethod, String, String, Object)}, with extra request headers. */
    protected Response call(HttpMethod method, String path, String bearerToken, Object body,
                            Map<String, String> headers) {
        RestClient.RequestBodySpec request = RestClient.create("http://127.0.0.1:" + port)
                .method(method)
                .uri(path)
                .accept(MediaType.APPLICATION_JSON, MediaType.APPLICATION_PROBLEM_JSON)
                .headers(h -> {
                    if (bearerToken != null) {
                        h.setBearerAuth(bearerToken);
                    }
                    headers.forEach(h::set);
                });
        if (body instanceof String text) {
            request.contentType(MediaType.APPLICATION_JSON).body(text);
        } else if (body != null) {
            request.contentType(MediaType.APPLICATION_JSON).body(body);
        }
        return request.exchange((req, res) -> {
            byte[] bytes = res.getBody().readAllBytes();
            return new Response(res.getStatusCode().value(), parse(bytes), res.getHeaders());
        });
    }

    /** Registers a company with a unique e-mail, logs its owner in and waits until the company can be read. */
    protected CompanySession newCompany() {
        String email = "owner-" + UUID.randomUUID() + "@example.com";
        Response registered = call(HttpMethod.POST, "/api/companies", null,
                Map.of("name", "Company " + email, "email", email, "password", PASSWORD));
        assertThat(registered.status()).as("registration: %s", registered.body()).isEqualTo(201);
        Response login = login(email, PASSWORD, randomClientIp());
        assertThat(login.status()).as("login: %s", login.body()).isEqualTo(200);
        String accessToken = login.text("accessToken");
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() ->
                call(HttpMethod.GET, "/api/companies/me", accessToken, null).status() == 200);
        return new CompanySession(registered.text("companyId"), email, PASSWORD, accessToken,
                login.text("refreshToken"), registered.text("referralCode"));
    }

    protected String operatorToken() {
        Response login = login(OPERATOR_EMAIL, OPERATOR_PASSWORD, randomClientIp());
        assertThat(login.status()).as("operator login: %s", login.body()).isEqualTo(200);
        return login.text("accessToken");
    }

    protected void credit(String companyId, String amount) {
        Response adjusted = call(HttpMethod.POST, "/api/admin/companies/" + companyId + "/adjustments",
                operatorToken(), Map.of("amount", amount, "reason", "test credit"),
                Map.of("Idempotency-Key", "credit-" + UUID.randomUUID()));
        assertThat(adjusted.status()).as("adjustment: %s", adjusted.body()).isBetween(200, 299);
    }

    /** Signs in from the given client address (trusted through X-Forwarded-For from a local proxy). */
    protected Response login(String email, String password, String clientIp) {
        return call(HttpMethod.POST, "/api/auth/login", null, Map.of("email", email, "password", password),
                Map.of("X-Forwarded-For", clientIp));
    }

    /** A client address of its own, so one test's sign-ins never count against another's per-address limit. */
    protected static String randomClientIp() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return "10." + random.nextInt(256) + "." + random.nextInt(256) + "." + (1 + random.nextInt(254));
    }

    private JsonNode parse(byte[] bytes) {
        if (bytes.length == 0) {
            return null;
        }
        try {
            return objectMapper.readTree(bytes);
        } catch (IOException notJson) {
            return objectMapper.getNodeFactory().textNode(new String(bytes, StandardCharsets.UTF_8));
        }
    }
}
