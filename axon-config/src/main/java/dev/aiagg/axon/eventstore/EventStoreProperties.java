package dev.aiagg.axon.eventstore;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param fetchDelay        how often an idle streaming reader polls the database for events of other nodes
 * @param cleanupDelay      how long the store keeps an idle shared event reader before closing it
 * @param tokenClaimTimeout after this silence another node may take over a segment of a processor
 * @param readBatchSize     how many global positions one query of a streaming reader covers; a reader far behind
 *                          (a replay) makes one round trip per batch
 */
@ConfigurationProperties("aiagg.axon.event-store")
record EventStoreProperties(@DefaultValue("100ms") Duration fetchDelay,
                            @DefaultValue("10s") Duration cleanupDelay,
                            @DefaultValue("10s") Duration tokenClaimTimeout,
                            @DefaultValue("1000") int readBatchSize) {

    EventStoreProperties {
        requirePositive(fetchDelay, "fetch-delay");
        requirePositive(cleanupDelay, "cleanup-delay");
        requirePositive(tokenClaimTimeout, "token-claim-timeout");
        if (readBatchSize < 1) {
            throw new IllegalArgumentException("aiagg.axon.event-store.read-batch-size must be positive");
        }
    }

    private static void requirePositive(Duration value, String name) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("aiagg.axon.event-store." + name + " must be positive");
        }
    }
}
