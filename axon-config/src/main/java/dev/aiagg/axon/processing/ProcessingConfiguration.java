package dev.aiagg.axon.processing;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.deadletter.jdbc.DeadLetterSchema;
import org.axonframework.serialization.Serializer;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ProcessingProperties.class, DeadLetterProperties.class})
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
    IsolatedRetries isolatedRetries(PlatformTransactionManager transactions) {
        return new IsolatedRetries(transactions);
    }

    @Bean
    DeadLettering deadLettering(DeadLetterProperties properties, IsolatedRetries isolation,
                                ConnectionProvider connectionProvider, TransactionManager transactionManager,
                                DeadLetterSchema deadLetterSchema, Serializer serializer,
                                @Qualifier("eventSerializer") Serializer eventSerializer, MeterRegistry registry) {
        return new DeadLettering(properties, isolation, connectionProvider, transactionManager, deadLetterSchema,
                serializer, eventSerializer, registry);
    }

    @Bean
    ProcessorsModule processorsModule(ProcessingProperties properties,
                                      ObjectProvider<NotifyingEventSource> eventSource,
                                      EventProcessingThreads threads,
                                      DeadLettering deadLettering) {
        return new ProcessorsModule(properties, eventSource, threads, deadLettering);
    }

    @Bean
    DeadLetters deadLetters(EventProcessingConfiguration processing, JdbcTemplate jdbc, DeadLetterSchema schema) {
        return new DeadLetters(processing, jdbc, schema);
    }

    /** A segment claimed elsewhere counts as processed while its owner renews the claim within the claim timeout. */
    @Bean
    ReadModelMonitor readModelMonitor(EventProcessingConfiguration processing, JdbcTemplate jdbc,
                                      DeadLetterSchema schema, MeterRegistry registry,
                                      ProcessingProperties properties,
                                      @Value("${aiagg.axon.event-store.token-claim-timeout:10s}") Duration claimTimeout) {
        return new ReadModelMonitor(processing, jdbc, schema, registry, properties.monitorInterval(), claimTimeout);
    }
}
