package dev.aiagg.axon.publication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.aiagg.axon.AxonIntegrationTest;
import dev.aiagg.axon.correlation.CorrelationKeys;
import dev.aiagg.axon.processing.ProcessorControl;
import dev.aiagg.axon.sample.NoteAdded;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.gateway.EventGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;

class PublicationTest extends AxonIntegrationTest {

    @Autowired
    EventGateway eventGateway;
    @Autowired
    ProcessorControl processorControl;
    @Autowired
    RabbitAdmin rabbitAdmin;
    @Autowired
    RabbitTemplate rabbitTemplate;

    private Queue events;

    @BeforeEach
    void listenToTheExchange() {
        events = new Queue("aiagg.test." + UUID.randomUUID(), false, false, false);
        rabbitAdmin.declareQueue(events);
        rabbitAdmin.declareBinding(BindingBuilder.bind(events)
                .to(new TopicExchange(RabbitMqPublication.EXCHANGE)).with("#"));
    }

    @AfterEach
    void stopListening() {
        rabbitAdmin.deleteQueue(events.getName());
        processorControl.resume(RabbitMqPublication.PROCESSING_GROUP);
        MDC.clear();
    }

    @Test
    void theAnalyticsQueueIsDeclaredDurable() {
        assertThat(rabbitAdmin.getQueueInfo(RabbitMqPublication.ANALYTICS_QUEUE)).isNotNull();
    }

    @Test
    void aStoredEventIsPublishedWithItsIdentityAndCorrelation() {
        String notebookId = "notebook-" + UUID.randomUUID();
        Instant addedAt = Instant.parse("2026-03-04T05:06:07.890Z");
        MDC.put(CorrelationKeys.CORRELATION_ID, "req-9");
        MDC.put(CorrelationKeys.ACTOR, "member-1");
        MDC.put(CorrelationKeys.COMPANY_ID, "company-1");
        EventMessage<?> event = new GenericDomainEventMessage<>("Notebook", notebookId, 0L,
                new NoteAdded(notebookId, "published", addedAt));

        eventGateway.publish(event);

        Message message = receive(Set.of(event.getIdentifier())).get(event.getIdentifier()).get(0);
        MessageProperties properties = message.getMessageProperties();
        assertThat(properties.getReceivedRoutingKey()).isEqualTo("sample.NoteAdded");
        assertThat(properties.getMessageId()).isEqualTo(event.getIdentifier());
        assertThat(properties.getReceivedDeliveryMode()).isEqualTo(MessageDeliveryMode.PERSISTENT);
        assertThat(properties.getContentType()).isEqualTo("application/json");
        Map<String, Object> headers = properties.getHeaders();
        assertThat(headers).containsEntry(RabbitMqPublication.HEADER_AGGREGATE_ID, notebookId)
                .containsEntry(RabbitMqPublication.HEADER_AGGREGATE_TYPE, "Notebook")
                .containsEntry(RabbitMqPublication.HEADER_SEQUENCE_NUMBER, 0L)
                .containsEntry(RabbitMqPublication.HEADER_EVENT_TYPE, NoteAdded.class.getName())
                .containsEntry(RabbitMqPublication.HEADER_REVISION, "1")
                .containsEntry(RabbitMqPublication.HEADER_TIMESTAMP,
                        event.getTimestamp().truncatedTo(ChronoUnit.MILLIS).toString())
                .containsEntry(RabbitMqPublication.HEADER_CORRELATION_ID, "req-9")
                .containsEntry(RabbitMqPublication.HEADER_ACTOR, "member-1")
                .containsEntry(RabbitMqPublication.HEADER_COMPANY_ID, "company-1");
        assertThat(new String(message.getBody(), StandardCharsets.UTF_8))
                .contains("\"text\":\"published\"", "\"addedAt\":\"2026-03-04T05:06:07.890Z\"");
    }

    @Test
    void eventsStoredWhileThePublicationIsPausedGoOutOnceEachWhenItResumes() {
        await().atMost(Duration.ofSeconds(10))
                .until(() -> processorControl.isCaughtUp(RabbitMqPublication.PROCESSING_GROUP));
        processorControl.pause(RabbitMqPublication.PROCESSING_GROUP);
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            EventMessage<?> event = GenericEventMessage.asEventMessage(
                    new NoteAdded("paused", "note " + i, Instant.now()));
            eventGateway.publish(event);
            ids.add(event.getIdentifier());
        }

        Map<String, List<Message>> whilePaused = new HashMap<>();
        drain(whilePaused, 1_500);
        assertThat(whilePaused.keySet()).as("nothing while paused").doesNotContainAnyElementsOf(ids);

        processorControl.resume(RabbitMqPublication.PROCESSING_GROUP);
        Map<String, List<Message>> received = receive(ids);
        assertThat(received.keySet()).isEqualTo(ids);
        assertThat(received.values()).allSatisfy(copies -> assertThat(copies).hasSize(1));
    }

    /** Collects messages until all the given ids arrived, then a little longer to catch duplicates. */
    private Map<String, List<Message>> receive(Set<String> ids) {
        Map<String, List<Message>> received = new HashMap<>();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            drain(received, 200);
            return received.keySet().containsAll(ids);
        });
        drain(received, 500);
        return received.entrySet().stream()
                .filter(entry -> ids.contains(entry.getKey()))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    private void drain(Map<String, List<Message>> received, long waitMillis) {
        Message message;
        while ((message = rabbitTemplate.receive(events.getName(), waitMillis)) != null) {
            received.computeIfAbsent(message.getMessageProperties().getMessageId(), id -> new ArrayList<>())
                    .add(message);
        }
    }
}
