package dev.aiagg.axon.processing;

import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.deadletter.jdbc.DeadLetterSchema;
import org.axonframework.serialization.Serializer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ProcessingProperties.class)
class ProcessingConfiguration {

    @Bean
    EventProcessingThreads eventProcessingThreads(ProcessingProperties properties) {
        return new EventProcessingThreads(properties.workerThreads());
    }

    @Bean
    ProcessorsModule processorsModule(ProcessingProperties properties,
                                      EventProcessingThreads threads,
                                      ConnectionProvider connectionProvider,
                                      TransactionManager transactionManager,
                                      DeadLetterSchema deadLetterSchema,
                                      Serializer serializer,
                                      @Qualifier("eventSerializer") Serializer eventSerializer) {
        return new ProcessorsModule(properties, threads, connectionProvider, transactionManager, deadLetterSchema,
                serializer, eventSerializer);
    }
}
