package dev.aiagg.axon.querybus;

import org.axonframework.queryhandling.QueryBus;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(QueryBusProperties.class)
class QueryBusConfiguration {

    /** Replaces Axon's gateway, whose futures may stay open for ever. */
    @Bean
    QueryGateway queryGateway(QueryBus queryBus, QueryBusProperties properties) {
        return new BoundedQueryGateway(queryBus, properties.timeout());
    }
}
