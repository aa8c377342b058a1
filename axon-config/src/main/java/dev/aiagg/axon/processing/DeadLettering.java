package dev.aiagg.axon.processing;

import dev.aiagg.axon.publication.RabbitMqPublication;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.EventProcessingConfigurer;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.deadletter.jdbc.DeadLetterSchema;
import org.axonframework.eventhandling.deadletter.jdbc.JdbcSequencedDeadLetterQueue;
import org.axonframework.messaging.deadletter.SequencedDeadLetterQueue;
import org.axonframework.serialization.Serializer;

/**
 * Gives every processing group but the RabbitMQ publication a dead-letter queue in PostgreSQL, with the
 * {@link IsolatedRetries isolated retry} that lets one failing event reach it without stopping the group.
 */
class DeadLettering {

    static final String ENQUEUED_METRIC = "aiagg.dead-letters.enqueued";

    private final DeadLetterProperties properties;
    private final IsolatedRetries isolation;
    private final ConnectionProvider connectionProvider;
    private final TransactionManager transactionManager;
    private final DeadLetterSchema schema;
    private final Serializer serializer;
    private final Serializer eventSerializer;
    private final MeterRegistry registry;

    DeadLettering(DeadLetterProperties properties, IsolatedRetries isolation, ConnectionProvider connectionProvider,
                  TransactionManager transactionManager, DeadLetterSchema schema, Serializer serializer,
                  Serializer eventSerializer, MeterRegistry registry) {
        this.properties = properties;
        this.isolation = isolation;
        this.connectionProvider = connectionProvider;
        this.transactionManager = transactionManager;
        this.schema = schema;
        this.serializer = serializer;
        this.eventSerializer = eventSerializer;
        this.registry = registry;
    }

    void configure(EventProcessingConfigurer processing) {
        processing.registerDeadLetterQueueProvider(group -> {
            if (RabbitMqPublication.PROCESSING_GROUP.equals(group)) {
                // Dead-lettering an event here would mean never publishing it; a failed publication stops and retries.
                return null;
            }
            // Axon asks the queue whether an event's sequence is dead-lettered before every event; the per-segment
            // cache answers from memory unless the sequence really has dead letters. A replay rebuilds the read
            // model from zero, so it also empties the group's dead letters.
            processing.registerDeadLetteringEventHandlerInvokerConfiguration(group, (config, builder) -> builder
                    .enableSequenceIdentifierCache()
                    .allowReset(true)
                    .enqueuePolicy(isolation.policy()));
            processing.registerHandlerInterceptor(group, config -> isolation.interceptor(group));
            return config -> queue(group);
        });
    }

    private SequencedDeadLetterQueue<EventMessage<?>> queue(String group) {
        Counter enqueued = Counter.builder(ENQUEUED_METRIC)
                .description("Events put in a dead-letter queue, their own failure or queued behind one")
                .tag("group", group)
                .register(registry);
        return new ReportingDeadLetterQueue(JdbcSequencedDeadLetterQueue.<EventMessage<?>>builder()
                .connectionProvider(connectionProvider)
                .transactionManager(transactionManager)
                .schema(schema)
                .genericSerializer(serializer)
                .eventSerializer(eventSerializer)
                .maxSequences(properties.maxSequences())
                .maxSequenceSize(properties.maxSequenceSize()),
                group, enqueued);
    }
}
