package dev.aiagg.axon.publication;

import dev.aiagg.axon.correlation.CorrelationKeys;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;

/** The wire format of a published event: the stored JSON as body, identity and correlation in headers. */
final class AmqpEvents {

    private AmqpEvents() {
    }

    /** {@code dev.aiagg.api.account.FundsReserved} is published as {@code account.FundsReserved}. */
    static String routingKey(Class<?> payloadType) {
        String packageName = payloadType.getPackageName();
        String feature = packageName.substring(packageName.lastIndexOf('.') + 1);
        return feature.isEmpty() ? payloadType.getSimpleName() : feature + "." + payloadType.getSimpleName();
    }

    static Message toMessage(EventMessage<?> event, Serializer eventSerializer) {
        SerializedObject<byte[]> payload = event.serializePayload(eventSerializer, byte[].class);
        MessageProperties properties = new MessageProperties();
        properties.setMessageId(event.getIdentifier());
        properties.setContentType(MessageProperties.CONTENT_TYPE_JSON);
        properties.setContentEncoding(StandardCharsets.UTF_8.name());
        properties.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
        properties.setTimestamp(Date.from(event.getTimestamp()));
        properties.setType(payload.getType().getName());

        properties.setHeader(RabbitMqPublication.HEADER_EVENT_TYPE, payload.getType().getName());
        if (payload.getType().getRevision() != null) {
            properties.setHeader(RabbitMqPublication.HEADER_REVISION, payload.getType().getRevision());
        }
        properties.setHeader(RabbitMqPublication.HEADER_TIMESTAMP, event.getTimestamp().toString());
        if (event instanceof DomainEventMessage<?> domainEvent && domainEvent.getAggregateIdentifier() != null) {
            properties.setHeader(RabbitMqPublication.HEADER_AGGREGATE_ID, domainEvent.getAggregateIdentifier());
            properties.setHeader(RabbitMqPublication.HEADER_AGGREGATE_TYPE, domainEvent.getType());
            properties.setHeader(RabbitMqPublication.HEADER_SEQUENCE_NUMBER, domainEvent.getSequenceNumber());
        }
        MetaData metaData = event.getMetaData();
        copy(metaData, CorrelationKeys.CORRELATION_ID, RabbitMqPublication.HEADER_CORRELATION_ID, properties);
        copy(metaData, CorrelationKeys.ACTOR, RabbitMqPublication.HEADER_ACTOR, properties);
        copy(metaData, CorrelationKeys.COMPANY_ID, RabbitMqPublication.HEADER_COMPANY_ID, properties);
        if (metaData.get(CorrelationKeys.CORRELATION_ID) != null) {
            properties.setCorrelationId(metaData.get(CorrelationKeys.CORRELATION_ID).toString());
        }
        return new Message(payload.getData(), properties);
    }

    private static void copy(MetaData metaData, String key, String header, MessageProperties properties) {
        Object value = metaData.get(key);
        if (value != null) {
            properties.setHeader(header, value.toString());
        }
    }
}
