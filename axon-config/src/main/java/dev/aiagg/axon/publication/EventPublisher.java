package dev.aiagg.axon.publication;

import java.util.ArrayList;
import java.util.List;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.serialization.Serializer;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * Forwards every stored event to the {@code aiagg.events} exchange, at least once and in global order (the
 * processor has one segment). The events of a batch go out on one confirm-mode channel just before the batch's
 * transaction commits; a nack, a timeout or an unreachable broker fails the batch, so its token stays where it
 * was and the processor retries with back-off ({@link PublicationRecovery} cuts that back-off short once an
 * unreachable broker is back). Consumers de-duplicate by message id (the event id).
 */
@Component
@ProcessingGroup(RabbitMqPublication.PROCESSING_GROUP)
@ConditionalOnProperty(name = RabbitMqPublication.ENABLED_PROPERTY, havingValue = "true")
class EventPublisher {

    private static final String PENDING = EventPublisher.class.getName() + ".pending";

    private final RabbitTemplate rabbitTemplate;
    private final Serializer eventSerializer;
    private final PublicationProperties properties;
    private final PublicationRecovery recovery;

    EventPublisher(RabbitTemplate rabbitTemplate, @Qualifier("eventSerializer") Serializer eventSerializer,
                   PublicationProperties properties, PublicationRecovery recovery) {
        this.rabbitTemplate = rabbitTemplate;
        this.eventSerializer = eventSerializer;
        this.properties = properties;
        this.recovery = recovery;
    }

    @EventHandler
    void on(Object payload, EventMessage<?> event) {
        pending().add(new Outgoing(AmqpEvents.routingKey(event.getPayloadType()),
                AmqpEvents.toMessage(event, eventSerializer)));
    }

    private List<Outgoing> pending() {
        UnitOfWork<?> batch = CurrentUnitOfWork.get();
        return batch.getOrComputeResource(PENDING, key -> {
            List<Outgoing> messages = new ArrayList<>();
            batch.onPrepareCommit(unitOfWork -> publishConfirmed(messages));
            return messages;
        });
    }

    private void publishConfirmed(List<Outgoing> messages) {
        try {
            rabbitTemplate.invoke(channel -> {
                messages.forEach(outgoing ->
                        channel.send(RabbitMqPublication.EXCHANGE, outgoing.routingKey(), outgoing.message()));
                channel.waitForConfirmsOrDie(properties.confirmTimeout().toMillis());
                return null;
            });
        } catch (AmqpException failed) {
            recovery.failed(failed);
            throw failed;
        }
        recovery.published();
    }

    private record Outgoing(String routingKey, Message message) {
    }
}
