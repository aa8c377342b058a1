package dev.aiagg.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aiagg.api.Money;
import dev.aiagg.axon.processing.ProcessorControl;
import dev.aiagg.axon.publication.RabbitMqPublication;
import dev.aiagg.gateway.AiAggregatorApplication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The benchmarks' client of the running gateway: sets up a model on the fast upstream and a funded company with a
 * key, and checks the ledger at the end.
 */
final class BenchClient {

    static final String OPERATOR_EMAIL = "bench-operator@aiagg.test";
    static final String OPERATOR_PASSWORD = "bench-operator-secret-42";
    static final String CREDIT = "1000000.00";

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final ObjectMapper json = new ObjectMapper();
    private final String gateway;

    BenchClient(String gateway) {
        this.gateway = gateway;
    }

    /** The operator, the company's owner, the model and the key a benchmark calls with. */
    record Tenant(String ownerToken, String model, String secret) {
    }

    /** What a benchmark does with the running application. */
    interface Harness {
        void run(ConfigurableApplicationContext context, String gateway) throws Exception;
    }

    /**
     * Starts the whole application on the {@code prod} profile with the given arguments, the fast provider as OpenAI
     * and the benchmark's operator, runs the harness against it and closes it.
     *
     * @return the process's exit status: 0, or 1 when the harness failed
     */
    static int runAgainst(List<String> arguments, String providerBaseUrl, Harness harness) {
        List<String> all = new ArrayList<>(arguments);
        all.addAll(List.of("--server.port=0",
                "--aiagg.security.jwt-secret=benchmark-only-signing-secret-0123456789abcdef",
                "--aiagg.providers.openai.base-url=" + providerBaseUrl,
                "--aiagg.providers.openai.api-key=bench",
                "--aiagg.admin.email=" + OPERATOR_EMAIL,
                "--aiagg.admin.password=" + OPERATOR_PASSWORD,
                "--logging.level.root=WARN"));
        ConfigurableApplicationContext context = new SpringApplicationBuilder(AiAggregatorApplication.class)
                .profiles("prod")
                .run(all.toArray(String[]::new));
        try {
            int port = ((WebServerApplicationContext) context).getWebServer().getPort();
            // Nothing consumes the analytics queue here; a backlog of earlier runs would weigh on the broker.
            context.getBean(AmqpAdmin.class).purgeQueue(RabbitMqPublication.ANALYTICS_QUEUE, false);
            harness.run(context, "http://127.0.0.1:" + port);
            return 0;
        } catch (Exception e) {
            e.printStackTrace();
            return 1;
        } finally {
            context.close();
        }
    }

    Tenant tenant() throws Exception {
        String operator = login(OPERATOR_EMAIL, OPERATOR_PASSWORD);
        String model = "bench-" + UUID.randomUUID().toString().substring(0, 8);
        send("PUT", "/api/admin/models/" + model, operator, Map.of(
                "deployments", List.of(Map.of("provider", "openai", "upstreamModel", "bench-upstream",
                        "priority", 1, "weight", 1)),
                "prices", Map.of("input", "100", "cachedInput", "50", "output", "300"),
                "currency", "RUB", "markup", "0"));
        String email = "bench-" + UUID.randomUUID() + "@example.com";
        JsonNode company = send("POST", "/api/companies", null,
                Map.of("name", "Benchmark", "email", email, "password", OPERATOR_PASSWORD));
        String companyId = company.get("companyId").asText();
        // The new company reaches the read models a moment after registration.
        eventually(() -> send("POST", "/api/admin/companies/" + companyId + "/adjustments", operator,
                Map.of("amount", CREDIT, "reason", "benchmark funding"),
                Map.of("Idempotency-Key", "funding-" + companyId)));
        String owner = login(email, OPERATOR_PASSWORD);
        String secret = eventually(() -> send("POST", "/api/keys", owner, Map.of("name", "benchmark")))
                .get("secret").asText();
        return new Tenant(owner, model, secret);
    }

    /**
     * Every call the provider answered is charged once, no more and no fewer; the balance is the credit minus the
     * charges and nothing is left reserved.
     */
    void verifyLedger(ProcessorControl processors, Tenant tenant, long expectedCharges) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (!processors.isCaughtUp("ledger") && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        // Charges reach the ledger within a flush interval or two; idle holds are released after aiagg.llm.hold-idle.
        long drained = System.nanoTime();
        JsonNode balance = send("GET", "/api/balance", tenant.ownerToken(), null);
        while (!"0.00".equals(balance.get("reserved").asText()) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            balance = send("GET", "/api/balance", tenant.ownerToken(), null);
        }
        if (!"0.00".equals(balance.get("reserved").asText())) {
            throw new IllegalStateException("reservations left open: " + balance);
        }
        System.out.printf("%nholds released and charges in the ledger %.1f s after the last call%n",
                (System.nanoTime() - drained) / 1e9);
        long charges = 0;
        long charged = 0;
        String cursor = null;
        do {
            JsonNode page = send("GET", "/api/statement?type=CHARGE&limit=500"
                    + (cursor == null ? "" : "&cursor=" + cursor), tenant.ownerToken(), null);
            for (JsonNode entry : page.get("entries")) {
                charges++;
                charged -= Money.parseMicros(entry.get("amount").asText());
            }
            cursor = page.hasNonNull("nextCursor") ? page.get("nextCursor").asText() : null;
        } while (cursor != null);
        if (charges != expectedCharges) {
            throw new IllegalStateException(charges + " charges for " + expectedCharges + " answered calls");
        }
        long balanceMicros = Money.parseMicros(balance.get("balance").asText());
        if (balanceMicros != Money.parseMicros(CREDIT) - charged) {
            throw new IllegalStateException("balance " + balance + " does not equal credit minus charges " + charged);
        }
        System.out.printf("%nledger check: OK (%,d charges, one per call answered; balance = credit - charges; "
                + "nothing reserved)%n", charges);
    }

    private interface Call {
        JsonNode send() throws Exception;
    }

    private static JsonNode eventually(Call call) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try {
                return call.send();
            } catch (IllegalStateException notYet) {
                if (System.nanoTime() > deadline) {
                    throw notYet;
                }
                Thread.sleep(50);
            }
        }
    }

    private String login(String email, String password) throws Exception {
        return send("POST", "/api/auth/login", null, Map.of("email", email, "password", password))
                .get("accessToken").asText();
    }

    private JsonNode send(String method, String path, String token, Object body) throws Exception {
        return send(method, path, token, body, Map.of());
    }

    private JsonNode send(String method, String path, String token, Object body, Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway + path))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        headers.forEach(request::header);
        HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": "
                    + new String(response.body()));
        }
        return response.body().length == 0 ? null : json.readTree(response.body());
    }
}
