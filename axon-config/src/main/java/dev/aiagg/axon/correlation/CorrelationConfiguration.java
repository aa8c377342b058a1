package dev.aiagg.axon.correlation;

import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.eventhandling.EventBus;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.messaging.correlation.SimpleCorrelationDataProvider;
import org.axonframework.queryhandling.QueryBus;
import org.axonframework.queryhandling.QueryMessage;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Carries {@link CorrelationKeys} from the MDC into dispatched messages, from each handled message into the
 * messages it causes, and back into the MDC while a handler runs. Event processors get their MDC interceptor in the
 * processing configuration.
 */
@Configuration(proxyBeanMethods = false)
class CorrelationConfiguration {

    /**
     * Being a CorrelationDataProvider bean, this also replaces Axon's MessageOriginProvider, which would overwrite
     * {@code correlationId} with the id of the handled message.
     */
    @Bean
    CorrelationDataProvider correlationKeysProvider() {
        return new SimpleCorrelationDataProvider(CorrelationKeys.ALL.toArray(String[]::new));
    }

    /** On the buses rather than the gateways, so messages sent without a gateway are covered as well. */
    @Bean
    InitializingBean correlationInterceptorsRegistrar(CommandBus commandBus, QueryBus queryBus, EventBus eventBus) {
        return () -> {
            commandBus.registerDispatchInterceptor(new MdcToMetaData<CommandMessage<?>>());
            commandBus.registerHandlerInterceptor(new MetaDataToMdc<CommandMessage<?>>());
            queryBus.registerDispatchInterceptor(new MdcToMetaData<QueryMessage<?, ?>>());
            queryBus.registerHandlerInterceptor(new MetaDataToMdc<QueryMessage<?, ?>>());
            eventBus.registerDispatchInterceptor(new MdcToMetaData<EventMessage<?>>());
        };
    }
}
