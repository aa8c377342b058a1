package dev.aiagg.gateway.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiagg.api.account.AccountId;
import dev.aiagg.axon.publication.RabbitMqPublication;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * RabbitMQ down for longer than Axon's back-off takes to grow: the API works on and health stays 200 meanwhile, and
 * once the broker is back every event stored in the outage is published within 5 s, in order, none lost.
 */
class BrokerOutageIT extends FaultIntegrationTest {

    private static final Duration OUTAGE = Duration.ofSeconds(25);

    @Autowired
    private JdbcTemplate jdbc;

    /** The test listens on the broker itself, not through the proxy the application uses. */
    private CachingConnectionFactory direct;
    private RabbitTemplate listener;
    private Queue events;

    @BeforeEach
    void listenToTheExchange() {
        direct = new CachingConnectionFactory("127.0.0.1", 5672);
        RabbitAdmin admin = new RabbitAdmin(direct);
        events = new Queue("aiagg.fault-test." + UUID.randomUUID(), false, false, false);
        admin.declareQueue(events);
        admin.declareBinding(BindingBuilder.bind(events).to(new TopicExchange(RabbitMqPublication.EXCHANGE))
                .with("account.#"));
        listener = new RabbitTemplate(direct);
    }

    @AfterEach
    void stopListening() {
        new RabbitAdmin(direct).deleteQueue(events.getName());
        direct.destroy();
    }

    @Test
    @Timeout(120)
    void aBrokerOutageDelaysPublicationByLessThanFiveSecondsAndLosesNothing() throws Exception {
        CompanySession company = newCompany();
        String accountId = AccountId.of(company.companyId());
        String operator = operatorToken();
        adjust(operator, company.companyId());
        int before = stored(accountId).size();
        assertThat(awaitPublished(accountId, before, Duration.ofSeconds(20))).hasSize(before);

        RABBITMQ.cut(OUTAGE.plusSeconds(30));
        long outageEnds = System.nanoTime() + OUTAGE.toNanos();
        while (System.nanoTime() < outageEnds) {
            adjust(operator, company.companyId());
            Response health = call(HttpMethod.GET, "/actuator/health", null, null);
            assertThat(health.status()).isEqualTo(200);
            assertThat(component(health, "rabbit")).isEqualTo("DEGRADED");
            assertThat(call(HttpMethod.GET, "/actuator/health/readiness", null, null).status()).isEqualTo(200);
            Thread.sleep(2_000);
        }
        assertThat(drain()).as("published while the broker was away").isEmpty();

        List<String> storedMeanwhile = stored(accountId).subList(before, stored(accountId).size());
        assertThat(storedMeanwhile).hasSizeGreaterThanOrEqualTo(10);

        RABBITMQ.restore();
        long restored = System.nanoTime();
        List<String> published = awaitPublished(accountId, storedMeanwhile.size(), Duration.ofSeconds(5));
        Duration caughtUp = Duration.ofNanos(System.nanoTime() - restored);

        assertThat(published).as("every event, in the order stored, within 5 s of the broker's return (took %s)",
                caughtUp).containsExactlyElementsOf(storedMeanwhile);
    }

    private List<String> stored(String accountId) {
        return jdbc.queryForList("select event_identifier from domain_event_entry where aggregate_identifier = ? "
                + "order by global_index", String.class, accountId);
    }

    private void adjust(String operator, String companyId) {
        Response adjusted = call(HttpMethod.POST, "/api/admin/companies/" + companyId + "/adjustments", operator,
                Map.of("amount", "0.01", "reason", "broker outage"),
                Map.of("Idempotency-Key", "outage-" + UUID.randomUUID()));
        assertThat(adjusted.status()).as("%s", adjusted.body()).isEqualTo(201);
    }

    /**
     * The distinct message ids of the account's events in the order first received, once {@code count} arrived or
     * the time is up; a batch retried after a broker failure may repeat messages, consumers de-duplicate by id.
     */
    private List<String> awaitPublished(String accountId, int count, Duration within) {
        LinkedHashSet<String> ids = new LinkedHashSet<>();
        long deadline = System.nanoTime() + within.toNanos();
        while (ids.size() < count && System.nanoTime() < deadline) {
            Message message = listener.receive(events.getName(), 100);
            if (message != null
                    && accountId.equals(message.getMessageProperties().getHeader(
                            RabbitMqPublication.HEADER_AGGREGATE_ID))) {
                ids.add(message.getMessageProperties().getMessageId());
            }
        }
        return new ArrayList<>(ids);
    }

    private List<Message> drain() {
        List<Message> messages = new ArrayList<>();
        Message message;
        while ((message = listener.receive(events.getName(), 100)) != null) {
            messages.add(message);
        }
        return messages;
    }
}
