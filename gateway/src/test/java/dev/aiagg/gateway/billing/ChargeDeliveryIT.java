package dev.aiagg.gateway.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.aiagg.api.account.AccountId;
import dev.aiagg.api.account.ChargedAgainstHold;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL cut off from a node of its own, through a TCP proxy on loopback: the calls the node answers meanwhile
 * (from the hold it already has) are charged once the database returns, each once; and once as many charges wait as
 * it may keep, the node answers new calls 503 rather than forget one.
 */
class ChargeDeliveryIT {

    private static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/";
    private static final String DATABASE = "aiagg_billing_outage";
    private static final int QUEUE = 5;

    @TempDir
    Path data;

    @Test
    void chargesKeptWhileTheDatabaseIsAwayAreDeliveredOnceItReturnsAndAFullQueueIsA503() throws Exception {
        recreateDatabase();
        try (LoopbackTcpProxy postgres = new LoopbackTcpProxy(5432);
             TestNode node = TestNode.start("--aiagg.embedded-postgres.enabled=false",
                     "--spring.datasource.url=jdbc:postgresql://127.0.0.1:" + postgres.port() + "/" + DATABASE,
                     "--spring.datasource.username=postgres", "--spring.datasource.password=",
                     "--spring.datasource.hikari.connection-timeout=1000",
                     "--aiagg.security.jwt-key-file=" + data.resolve("jwt.key"),
                     "--aiagg.llm.max-undelivered-charges=" + QUEUE,
                     // The key and the model stay known while the database is away: only billing is under test.
                     "--aiagg.llm.read-model-cache-lifetime=10m")) {
            String model = node.defineModel("fake-chat");
            TestNode.Tenant tenant = node.tenant("10.00");
            List<String> answered = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                answered.add(answeredRequest(node.chat(tenant.secret(), model)));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> charged(tenant).size() == 2);

            postgres.cut();
            TestNode.Answer refused = null;
            for (int i = 0; i < 2 * QUEUE && refused == null; i++) {
                TestNode.Answer answer = node.chat(tenant.secret(), model);
                if (answer.status() == 200) {
                    answered.add(answeredRequest(answer));
                } else {
                    refused = answer;
                }
            }

            assertThat(answered).as("answered from the hold the node has, until the queue is full")
                    .hasSize(2 + QUEUE);
            assertThat(refused).isNotNull();
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.body().at("/error/code").asText()).isEqualTo("service_unavailable");
            assertThat(refused.body().at("/error/type").asText()).isEqualTo("server_error");
            assertThat(refused.headers().getFirst("Retry-After")).isNotBlank();

            postgres.restore();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                    .until(() -> charged(tenant).size() == answered.size());
            assertThat(charged(tenant)).containsExactlyInAnyOrderElementsOf(answered);
            await().atMost(Duration.ofSeconds(10)).until(() -> node.chat(tenant.secret(), model).status() == 200);
        }
    }

    private static String answeredRequest(TestNode.Answer answer) {
        assertThat(answer.status()).as("call: %s", answer.body()).isEqualTo(200);
        return answer.headers().getFirst("X-Request-Id");
    }

    /** The request ids charged to the tenant's account, read from the event store past the proxy. */
    private static List<String> charged(TestNode.Tenant tenant) throws SQLException {
        try (Connection connection = DriverManager.getConnection(SERVER + DATABASE, "postgres", "");
             PreparedStatement query = connection.prepareStatement("""
                     select convert_from(payload, 'UTF8')::jsonb ->> 'requestId' from domain_event_entry
                     where aggregate_identifier = ? and payload_type = ?""")) {
            query.setString(1, AccountId.of(tenant.companyId()));
            query.setString(2, ChargedAgainstHold.class.getName());
            List<String> requests = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    requests.add(rows.getString(1));
                }
            }
            Set<String> once = new HashSet<>(requests);
            assertThat(once).as("each call charged once").hasSameSizeAs(requests);
            return requests;
        }
    }

    private static void recreateDatabase() throws SQLException {
        try (Connection connection = DriverManager.getConnection(SERVER + "postgres", "postgres", "");
             Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
            statement.execute("CREATE DATABASE " + DATABASE);
        }
    }
}
