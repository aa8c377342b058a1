package dev.aiagg.axon.processing;

import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.deadletter.jdbc.DeadLetterSchema;
import org.axonframework.serialization.Serializer;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ProcessingProperties.class)
class ProcessingConfiguration {

    @Bean
    EventProcessingThreads eventProcessingThreads(ProcessingProperties properties) {
        return new EventProcessingThreads(properties.workerThreads());
    }

    /** Lazy: the event store exists only once Axon's configuration is being built. */
    @Bean
    @Lazy
    NotifyingEventSource notifyingEventSource(EventStore eventStore, ProcessingProperties properties) {
        return new NotifyingEventSource(eventStore, properties.idleSignal());
    }

    @Bean
    ProcessorMetrics eventProcessorMetrics(MeterRegistry registry) {
        return new ProcessorMetrics(registry);
    }

    @Bean
    ProcessorsModule processorsModule(ProcessingProperties properties,
                                      ObjectProvider<NotifyingEventSource> eventSource,
                                      EventProcessingThreads threads,
                                      ConnectionProvider connectionProvider,
                                      TransactionManager transactionManager,
                                      DeadLetterSchema deadLetterSchema,
                                      Serializer serializer,
                                      @Qualifier("eventSerializer") Serializer eventSerializer) {
        return new ProcessorsModule(properties, eventSource, threads, connectionProvider, transactionManager, deadLetterSchema,
                serializer, eventSerializer);
    }
}
