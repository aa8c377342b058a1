package dev.aiagg.axon.aggregate;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.axonframework.common.AxonThreadFactory;
import org.axonframework.common.caching.Cache;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.Configuration;
import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.SnapshotTriggerDefinition;
import org.axonframework.eventsourcing.SnapshotterSpanFactory;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.annotation.HandlerDefinition;
import org.axonframework.messaging.annotation.ParameterResolverFactory;
import org.axonframework.spring.eventsourcing.SpringAggregateSnapshotter;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Snapshots and an in-memory cache for the Account aggregate, which handles a command on every LLM request. The
 * cache is only correct while all commands for an account reach the same node.
 */
@org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AccountAggregateProperties.class)
class AggregateConfiguration {

    /** Replaces Axon's snapshotter, which writes snapshots on the thread of the command that triggered them. */
    @Bean
    SpringAggregateSnapshotter aggregateSnapshotter(Configuration configuration,
                                                    HandlerDefinition handlerDefinition,
                                                    ParameterResolverFactory parameterResolverFactory,
                                                    EventStore eventStore,
                                                    TransactionManager transactionManager,
                                                    SnapshotterSpanFactory spanFactory,
                                                    SnapshotThreads snapshotThreads) {
        return SpringAggregateSnapshotter.builder()
                .repositoryProvider(configuration::repository)
                .transactionManager(transactionManager)
                .eventStore(eventStore)
                .parameterResolverFactory(parameterResolverFactory)
                .handlerDefinition(handlerDefinition)
                .spanFactory(spanFactory)
                .executor(snapshotThreads.executor())
                .build();
    }

    @Bean
    SnapshotThreads snapshotThreads(AccountAggregateProperties properties) {
        return new SnapshotThreads(properties.snapshotThreads());
    }

    @Bean
    SnapshotTriggerDefinition accountSnapshotTrigger(SpringAggregateSnapshotter aggregateSnapshotter,
                                                     AccountAggregateProperties properties) {
        return new EventCountSnapshotTriggerDefinition(aggregateSnapshotter, properties.snapshotThreshold());
    }

    @Bean
    Cache accountCache(AccountAggregateProperties properties) {
        return new LruCache(properties.cacheSize());
    }

    /** Not an executor bean, which would make Boot's own task executor back off. */
    static final class SnapshotThreads implements org.springframework.beans.factory.DisposableBean {

        private final ExecutorService executor;

        SnapshotThreads(int threads) {
            this.executor = Executors.newFixedThreadPool(threads, new AxonThreadFactory("snapshotter"));
        }

        ExecutorService executor() {
            return executor;
        }

        @Override
        public void destroy() {
            executor.shutdown();
        }
    }
}
