package dev.aiagg.gateway;

import dev.aiagg.api.account.AccountId;
import dev.aiagg.axon.publication.RabbitMqPublication;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

class PublicationIT extends IntegrationTest {

    private static final String QUEUE = RabbitMqPublication.ANALYTICS_QUEUE;

    @Autowired
    private RabbitTemplate rabbit;

    @Autowired
    private AmqpAdmin amqpAdmin;

    @Autowired
    private JdbcTemplate jdbc;

    @Test
    void anAdjustmentIsPublishedWithItsIdentityAndCorrelation() {
        amqpAdmin.purgeQueue(QUEUE, false);
        CompanySession company = newCompany();
        String accountId = AccountId.of(company.companyId());
        String requestId = "it-" + UUID.randomUUID();

        Response adjusted = call(HttpMethod.POST, "/api/admin/companies/" + company.companyId() + "/adjustments",
                operatorToken(), Map.of("amount", "12.34", "reason", "publication"),
                Map.of("X-Request-Id", requestId, "Idempotency-Key", requestId));
        assertThat(adjusted.status()).as("%s", adjusted.body()).isEqualTo(201);

        Message message = receive(1, ofAggregate(accountId).and(eventType("BalanceAdjusted")),
                Duration.ofSeconds(20)).get(0);
        Map<String, Object> stored = jdbc.queryForMap("""
                select event_identifier, sequence_number, payload_revision, time_stamp from domain_event_entry
                where aggregate_identifier = ? and payload_type = ?
                """, accountId, "dev.aiagg.api.account.BalanceAdjusted");
        MessageProperties properties = message.getMessageProperties();
        assertThat(properties.getMessageId()).isEqualTo(stored.get("event_identifier"));
        assertThat(properties.getReceivedRoutingKey()).isEqualTo("account.BalanceAdjusted");
        assertThat(properties.getReceivedDeliveryMode()).isEqualTo(MessageDeliveryMode.PERSISTENT);
        assertThat(properties.getContentType()).isEqualTo("application/json");
        Map<String, Object> headers = properties.getHeaders();
        assertThat(headers.get(RabbitMqPublication.HEADER_AGGREGATE_ID)).isEqualTo(accountId);
        assertThat(((Number) headers.get(RabbitMqPublication.HEADER_SEQUENCE_NUMBER)).longValue())
                .isEqualTo(((Number) stored.get("sequence_number")).longValue());
        assertThat(headers.get(RabbitMqPublication.HEADER_EVENT_TYPE))
                .isEqualTo("dev.aiagg.api.account.BalanceAdjusted");
        assertThat(headers.get(RabbitMqPublication.HEADER_REVISION)).isEqualTo(stored.get("payload_revision"));
        assertThat(Instant.parse((String) headers.get(RabbitMqPublication.HEADER_TIMESTAMP)))
                .isEqualTo(Instant.parse((String) stored.get("time_stamp")));
        assertThat(headers.get(RabbitMqPublication.HEADER_CORRELATION_ID)).isEqualTo(requestId);
        assertThat(new String(message.getBody())).contains("\"amountMicros\":12340000");
    }

    @Test
    void eventsStoredWhilePublicationIsPausedArriveOnceAfterResuming() {
        amqpAdmin.purgeQueue(QUEUE, false);
        CompanySession company = newCompany();
        String accountId = AccountId.of(company.companyId());
        String operator = operatorToken();
        adjust(operator, company.companyId());
        receive(1, ofAggregate(accountId).and(eventType("BalanceAdjusted")), Duration.ofSeconds(20));

        Response paused = call(HttpMethod.POST, "/api/admin/processors/rabbitmq-publication/pause", operator, null);
        assertThat(paused.status()).isEqualTo(202);
        try {
            for (int i = 0; i < 20; i++) {
                adjust(operator, company.companyId());
            }
            assertThat(receiveFor(Duration.ofSeconds(1), ofAggregate(accountId))).as("published while paused")
                    .isEmpty();
        } finally {
            assertThat(call(HttpMethod.POST, "/api/admin/processors/rabbitmq-publication/resume", operator, null)
                    .status()).isEqualTo(202);
        }

        List<Message> arrived = receive(20, ofAggregate(accountId), Duration.ofSeconds(30));
        arrived.addAll(receiveFor(Duration.ofSeconds(1), ofAggregate(accountId)));
        Map<String, Integer> copies = new HashMap<>();
        arrived.forEach(m -> copies.merge(m.getMessageProperties().getMessageId(), 1, Integer::sum));
        List<String> storedIds = jdbc.queryForList("""
                select event_identifier from domain_event_entry
                where aggregate_identifier = ? and payload_type = ? order by sequence_number offset 1
                """, String.class, accountId, "dev.aiagg.api.account.BalanceAdjusted");
        assertThat(storedIds).hasSize(20);
        assertThat(copies.keySet()).containsExactlyInAnyOrderElementsOf(storedIds);
        assertThat(copies.values()).allMatch(n -> n == 1);
    }

    private void adjust(String operator, String companyId) {
        Response adjusted = call(HttpMethod.POST, "/api/admin/companies/" + companyId + "/adjustments", operator,
                Map.of("amount", "0.01", "reason", "publication"),
                Map.of("Idempotency-Key", "pub-" + UUID.randomUUID()));
        assertThat(adjusted.status()).as("%s", adjusted.body()).isEqualTo(201);
    }

    /** Receives until {@code count} matching messages arrived; others (from other tests) are dropped. */
    private List<Message> receive(int count, Predicate<Message> wanted, Duration timeout) {
        List<Message> matching = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (matching.size() < count && System.nanoTime() < deadline) {
            Message message = rabbit.receive(QUEUE, 200);
            if (message != null && wanted.test(message)) {
                matching.add(message);
            }
        }
        assertThat(matching).as("messages received within %s", timeout).hasSize(count);
        return matching;
    }

    private List<Message> receiveFor(Duration period, Predicate<Message> wanted) {
        List<Message> matching = new ArrayList<>();
        long deadline = System.nanoTime() + period.toNanos();
        while (System.nanoTime() < deadline) {
            Message message = rabbit.receive(QUEUE, 100);
            if (message != null && wanted.test(message)) {
                matching.add(message);
            }
        }
        return matching;
    }

    private static Predicate<Message> ofAggregate(String aggregateId) {
        return m -> aggregateId.equals(m.getMessageProperties().getHeaders().get(RabbitMqPublication.HEADER_AGGREGATE_ID));
    }

    private static Predicate<Message> eventType(String simpleName) {
        return m -> String.valueOf(m.getMessageProperties().getHeaders().get(RabbitMqPublication.HEADER_EVENT_TYPE))
                .endsWith("." + simpleName);
    }
}
