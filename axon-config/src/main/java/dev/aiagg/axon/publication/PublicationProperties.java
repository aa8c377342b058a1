package dev.aiagg.axon.publication;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param enabled        forward every stored event to RabbitMQ
 * @param confirmTimeout        how long a batch waits for the broker's confirms before it is retried
 * @param recoveryProbeInterval while the broker is unreachable, how often it is asked whether it is back; publication
 *                              resumes within about this long of its return
 */
@ConfigurationProperties("aiagg.publication")
record PublicationProperties(@DefaultValue("false") boolean enabled,
                             @DefaultValue("5s") Duration confirmTimeout,
                             @DefaultValue("500ms") Duration recoveryProbeInterval) {

    PublicationProperties {
        requirePositive(confirmTimeout, "confirm-timeout");
        requirePositive(recoveryProbeInterval, "recovery-probe-interval");
    }

    private static void requirePositive(Duration value, String name) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("aiagg.publication." + name + " must be positive");
        }
    }
}
