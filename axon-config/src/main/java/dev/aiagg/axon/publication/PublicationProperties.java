package dev.aiagg.axon.publication;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param enabled        forward every stored event to RabbitMQ
 * @param confirmTimeout how long a batch waits for the broker's confirms before it is retried
 */
@ConfigurationProperties("aiagg.publication")
record PublicationProperties(@DefaultValue("false") boolean enabled,
                             @DefaultValue("10s") Duration confirmTimeout) {

    PublicationProperties {
        if (confirmTimeout == null || confirmTimeout.isNegative() || confirmTimeout.isZero()) {
            throw new IllegalArgumentException("aiagg.publication.confirm-timeout must be positive");
        }
    }
}
