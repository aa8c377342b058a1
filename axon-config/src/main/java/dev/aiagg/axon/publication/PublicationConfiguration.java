package dev.aiagg.axon.publication;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The exchange and analytics queue, declared at start and again by Spring AMQP on every new connection. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = RabbitMqPublication.ENABLED_PROPERTY, havingValue = "true")
@EnableConfigurationProperties(PublicationProperties.class)
class PublicationConfiguration {

    private static final Logger log = LoggerFactory.getLogger(PublicationConfiguration.class);

    @Bean
    Declarables publicationTopology() {
        TopicExchange exchange = new TopicExchange(RabbitMqPublication.EXCHANGE, true, false);
        Queue analytics = QueueBuilder.durable(RabbitMqPublication.ANALYTICS_QUEUE).build();
        return new Declarables(exchange, analytics, BindingBuilder.bind(analytics).to(exchange).with("#"));
    }

    @Bean
    SmartInitializingSingleton publicationTopologyDeclaration(AmqpAdmin amqpAdmin, RabbitTemplate rabbitTemplate) {
        return () -> {
            if (rabbitTemplate.getConnectionFactory() instanceof CachingConnectionFactory factory
                    && !factory.isSimplePublisherConfirms()) {
                throw new IllegalStateException("the RabbitMQ publication needs spring.rabbitmq.publisher-confirm-type"
                        + "=simple: a batch's token may advance only once the broker confirmed it");
            }
            if (amqpAdmin instanceof RabbitAdmin admin) {
                try {
                    admin.initialize();
                } catch (AmqpException e) {
                    // The publication retries until the broker is back, and declares again on connecting.
                    log.warn("RabbitMQ is not reachable at start; events are published once it is: {}",
                            e.getMessage());
                }
            }
        };
    }
}
