package dev.aiagg.axon.querybus;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param timeout longest the future of a {@code QueryGateway.query(...)} stays open before it fails with a
 *                {@link java.util.concurrent.TimeoutException}
 */
@ConfigurationProperties("aiagg.axon.query-bus")
record QueryBusProperties(@DefaultValue("5s") Duration timeout) {

    QueryBusProperties {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("aiagg.axon.query-bus.timeout must be positive");
        }
    }
}
