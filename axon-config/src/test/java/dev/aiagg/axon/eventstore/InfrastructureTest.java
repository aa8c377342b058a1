package dev.aiagg.axon.eventstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aiagg.axon.AxonIntegrationTest;
import dev.aiagg.axon.publication.RabbitMqPublication;
import dev.aiagg.axon.sample.AddNote;
import dev.aiagg.axon.sample.NoteAdded;
import dev.aiagg.axon.sample.NoteProjection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventHandlerInvoker;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.MultiEventHandlerInvoker;
import org.axonframework.eventhandling.deadletter.DeadLetteringEventHandlerInvoker;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.gateway.EventGateway;
import org.axonframework.eventhandling.pooled.PooledStreamingEventProcessor;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.modelling.command.CommandTargetResolver;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.util.ReflectionTestUtils;

class InfrastructureTest extends AxonIntegrationTest {

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    EventGateway eventGateway;
    @Autowired
    CommandGateway commandGateway;
    @Autowired
    EventProcessingConfiguration processing;
    @Autowired
    TokenStore tokenStore;
    @Autowired
    ApplicationContext context;
    @Autowired
    org.axonframework.config.Configuration axonConfiguration;

    @Test
    void aggregatesResolveCommandTargetsThroughTheCachingResolver() {
        assertThat(axonConfiguration.getComponent(CommandTargetResolver.class).getClass().getSimpleName())
                .isEqualTo("CommandTargets");
    }

    @Test
    void serializedDataIsByteaAndNoColumnIsALargeObject() {
        List<String> payloadTypes = jdbc.queryForList("""
                select data_type from information_schema.columns
                where table_name = 'domain_event_entry' and column_name in ('payload', 'meta_data')""", String.class);
        List<String> oidColumns = jdbc.queryForList("""
                select table_name || '.' || column_name from information_schema.columns
                where table_schema = 'public' and data_type = 'oid'""", String.class);

        assertThat(payloadTypes).containsExactly("bytea", "bytea");
        assertThat(oidColumns).isEmpty();
    }

    @Test
    void eventsStoredOneAfterAnotherGetConsecutiveGlobalIndexes() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            EventMessage<?> event = GenericEventMessage.asEventMessage(
                    new NoteAdded("loose", "note " + i, Instant.now()));
            eventGateway.publish(event);
            ids.add(event.getIdentifier());
        }

        List<Long> indexes = jdbc.queryForList(
                "select global_index from domain_event_entry where event_identifier = any (?) order by global_index",
                Long.class, (Object) ids.toArray(String[]::new));

        assertThat(indexes).hasSize(5);
        assertThat(indexes.get(4) - indexes.get(0)).isEqualTo(4);
    }

    @Test
    void anAggregateUsingTheAccountTriggerIsSnapshottedOnceItCrossesTheThreshold() {
        String notebookId = "notebook-" + UUID.randomUUID();
        for (int i = 0; i < 6; i++) {
            commandGateway.sendAndWait(new AddNote(notebookId, "note " + i));
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.queryForObject(
                "select count(*) from snapshot_event_entry where aggregate_identifier = ?", Long.class,
                notebookId) == 1);
    }

    @Test
    void projectionsAreDeadLetteredAndPooledButThePublicationIsNeither() {
        assertThat(processing.deadLetterQueue(NoteProjection.GROUP)).isPresent();
        assertThat(processing.deadLetterQueue(RabbitMqPublication.PROCESSING_GROUP)).isEmpty();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(tokenStore.fetchSegments(NoteProjection.GROUP)).hasSize(2);
            assertThat(tokenStore.fetchSegments(RabbitMqPublication.PROCESSING_GROUP)).hasSize(1);
        });
    }

    @Test
    void processorsHandleBatchesOnSharedWorkersAndAskTheDeadLetterCacheFirst() {
        PooledStreamingEventProcessor notes = processing
                .eventProcessor(NoteProjection.GROUP, PooledStreamingEventProcessor.class).orElseThrow();
        PooledStreamingEventProcessor publication = processing
                .eventProcessor(RabbitMqPublication.PROCESSING_GROUP, PooledStreamingEventProcessor.class)
                .orElseThrow();
        EventHandlerInvoker notesInvoker =
                ((MultiEventHandlerInvoker) notes.eventHandlerInvoker()).delegates().get(0);

        assertThat(ReflectionTestUtils.getField(notes, "batchSize")).isEqualTo(1000);
        assertThat(ReflectionTestUtils.getField(publication, "batchSize")).isEqualTo(1000);
        assertThat(ReflectionTestUtils.getField(notes, "workerExecutor"))
                .isSameAs(ReflectionTestUtils.getField(publication, "workerExecutor"));
        assertThat(notesInvoker).isInstanceOf(DeadLetteringEventHandlerInvoker.class);
        assertThat(ReflectionTestUtils.getField(notesInvoker, "sequenceIdentifierCacheEnabled")).isEqualTo(true);
    }

    @Test
    void axonKeepsItsObjectMapperToItself() {
        assertThat(context.getBeansOfType(ObjectMapper.class).keySet()).isSubsetOf("jacksonObjectMapper");
    }
}
