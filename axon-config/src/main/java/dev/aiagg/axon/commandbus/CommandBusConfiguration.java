package dev.aiagg.axon.commandbus;

import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.CommandBusSpanFactory;
import org.axonframework.commandhandling.DuplicateCommandHandlerResolver;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.Configuration;
import org.axonframework.messaging.interceptors.CorrelationDataInterceptor;
import org.axonframework.modelling.command.CommandTargetResolver;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Replaces the SimpleCommandBus of Axon's auto-configuration with the group-commit bus, unless
 * {@code aiagg.axon.command-bus.batching=false}, in which case Axon's own bus is created as usual; either way the
 * command gateway bounds every wait for a result.
 */
@org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CommandBusProperties.class)
class CommandBusConfiguration {

    @Bean
    @ConditionalOnProperty(prefix = "aiagg.axon.command-bus", name = "batching", havingValue = "true",
            matchIfMissing = true)
    GroupCommitCommandBus commandBus(CommandBusProperties properties,
                                     TransactionManager transactionManager,
                                     Configuration axonConfiguration,
                                     DuplicateCommandHandlerResolver duplicateCommandHandlerResolver,
                                     MeterRegistry meterRegistry) {
        GroupCommitCommandBus commandBus = new GroupCommitCommandBus(
                properties.workers(),
                properties.maxBatch(),
                properties.maxQueued(),
                transactionManager,
                axonConfiguration.messageMonitor(CommandBus.class, "commandBus"),
                axonConfiguration.getComponent(CommandBusSpanFactory.class),
                duplicateCommandHandlerResolver,
                meterRegistry);
        // As Axon does for its own bus: events caused by a command carry the correlation data of that command.
        commandBus.registerHandlerInterceptor(
                new CorrelationDataInterceptor<>(axonConfiguration.correlationDataProviders()));
        return commandBus;
    }

    /** Replaces Axon's gateway, whose {@code sendAndWait(command)} waits for ever. */
    @Bean
    CommandGateway commandGateway(CommandBus commandBus, CommandBusProperties properties) {
        return new BoundedCommandGateway(commandBus, properties.sendTimeout());
    }

    /** Aggregates take their command target resolver from here (Spring beans are Axon components). */
    @Bean
    CommandTargetResolver commandTargetResolver() {
        return new CommandTargets();
    }
}
