package dev.aiagg.axon.publication;

/** Names of the RabbitMQ publication, shared with its consumers and the processing configuration. */
public final class RabbitMqPublication {

    /** The streaming processor that forwards every stored event to the broker. */
    public static final String PROCESSING_GROUP = "rabbitmq-publication";
    /** Turns the publication on; without it no processor exists and nothing is published (or skipped). */
    public static final String ENABLED_PROPERTY = "aiagg.publication.enabled";

    public static final String EXCHANGE = "aiagg.events";
    public static final String ANALYTICS_QUEUE = "aiagg.analytics";

    public static final String HEADER_AGGREGATE_ID = "aiagg-aggregate-id";
    public static final String HEADER_AGGREGATE_TYPE = "aiagg-aggregate-type";
    public static final String HEADER_SEQUENCE_NUMBER = "aiagg-sequence-number";
    public static final String HEADER_EVENT_TYPE = "aiagg-event-type";
    public static final String HEADER_REVISION = "aiagg-revision";
    public static final String HEADER_TIMESTAMP = "aiagg-timestamp";
    public static final String HEADER_CORRELATION_ID = "aiagg-correlation-id";
    public static final String HEADER_ACTOR = "aiagg-actor";
    public static final String HEADER_COMPANY_ID = "aiagg-company-id";

    private RabbitMqPublication() {
    }
}
