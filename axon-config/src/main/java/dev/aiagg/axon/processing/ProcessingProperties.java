package dev.aiagg.axon.processing;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param segments      segments of a new streaming processor (the RabbitMQ publication always has one). Axon buffers at
 *                      most 1,024 events per segment and its coordinator, finding every buffer full, waits 100 ms,
 *                      which caps a replay near segments × 10,000 events/s; each segment also costs a transaction
 *                      and a token write per batch
 * @param batchSize     events handled in one transaction by one segment
 * @param workerThreads threads shared by the segments of all processors of this node
 * @param idleSignal    how often idle processors look for events committed by other nodes
 */
@ConfigurationProperties("aiagg.axon.processing")
record ProcessingProperties(@DefaultValue("4") int segments,
                            @DefaultValue("100") int batchSize,
                            @DefaultValue("4") int workerThreads,
                            @DefaultValue("100ms") Duration idleSignal) {

    ProcessingProperties {
        if (segments < 1 || batchSize < 1 || workerThreads < 1) {
            throw new IllegalArgumentException(
                    "aiagg.axon.processing.segments, batch-size and worker-threads must be at least 1");
        }
    }
}
