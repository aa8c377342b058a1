package dev.aiagg.axon.processing;

import dev.aiagg.axon.correlation.MetaDataToMdc;
import dev.aiagg.axon.publication.RabbitMqPublication;
import org.axonframework.config.Configuration;
import org.axonframework.config.Configurer;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.config.EventProcessingConfigurer;
import org.axonframework.config.EventProcessingConfigurer.PooledStreamingProcessorConfiguration;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.messaging.StreamableMessageSource;
import org.springframework.beans.factory.ObjectProvider;

/**
 * The one place where event processors are configured. Every processing group runs as a pooled streaming processor
 * that starts at the first event, so a new read model is built from all history. Processor settings must not also be
 * given as {@code axon.eventhandling.processors.*} properties: those replace this configuration per processor and
 * silently fall back to Axon's defaults (batch size 1).
 */
class ProcessorsModule implements ConfigurerModule {

    private final ProcessingProperties properties;
    private final ObjectProvider<NotifyingEventSource> eventSource;
    private final EventProcessingThreads threads;
    private final DeadLettering deadLettering;

    ProcessorsModule(ProcessingProperties properties, ObjectProvider<NotifyingEventSource> eventSource,
                     EventProcessingThreads threads, DeadLettering deadLettering) {
        this.properties = properties;
        this.eventSource = eventSource;
        this.threads = threads;
        this.deadLettering = deadLettering;
    }

    /** Last, because Axon's own dead-letter module registers a provider too, and the last one registered wins. */
    @Override
    public int order() {
        return Integer.MAX_VALUE;
    }

    @Override
    public void configureModule(Configurer configurer) {
        EventProcessingConfigurer processing = configurer.eventProcessing();

        PooledStreamingProcessorConfiguration pooled = (config, builder) -> builder
                .messageSource(eventSource.getObject().pacedBy(() -> lowestHandledPosition(config, builder.name())))
                .batchSize(properties.batchSize())
                .initialSegmentCount(properties.segments())
                .workerExecutor(threads.workers())
                .tokenClaimInterval(properties.tokenClaimInterval().toMillis())
                .initialToken(isSaga(config, builder.name())
                        // A saga added later must not act again on history; read models must see all of it.
                        ? StreamableMessageSource::createHeadToken
                        : StreamableMessageSource::createTailToken);
        processing.usingPooledStreamingEventProcessors(pooled);

        // One segment keeps the global order on the broker.
        processing.registerPooledStreamingEventProcessorConfiguration(RabbitMqPublication.PROCESSING_GROUP,
                pooled.andThen((config, builder) -> builder.initialSegmentCount(1)));
        // A failed publication must stop the processor (to retry), never be logged and skipped.
        processing.registerListenerInvocationErrorHandler(RabbitMqPublication.PROCESSING_GROUP,
                config -> PropagatingErrorHandler.instance());

        processing.registerDefaultHandlerInterceptor((config, name) -> new MetaDataToMdc<EventMessage<?>>());

        deadLettering.configure(processing);
    }

    /**
     * Of the segments this node has claimed; a segment that has handled nothing yet (a replay's first batch not
     * committed) counts as before the first event. None claimed sets no limit ({@code Long.MAX_VALUE}).
     */
    private static long lowestHandledPosition(Configuration config, String processorName) {
        return config.eventProcessingConfiguration()
                .eventProcessor(processorName, StreamingEventProcessor.class)
                .flatMap(processor -> processor.processingStatus().values().stream()
                        .map(EventTrackerStatus::getCurrentPosition)
                        .map(position -> position.orElse(-1))
                        .min(Long::compare))
                .orElse(Long.MAX_VALUE);
    }

    private static boolean isSaga(Configuration config, String processorName) {
        return config.eventProcessingConfiguration().sagaConfigurations().stream()
                .anyMatch(saga -> saga.processingGroup().equals(processorName));
    }
}
