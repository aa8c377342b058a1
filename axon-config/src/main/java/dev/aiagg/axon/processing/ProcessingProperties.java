package dev.aiagg.axon.processing;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param segments      segments of a new streaming processor (the RabbitMQ publication always has one): more let more
 *                      nodes share a processor's work, but each one costs a transaction and a token write per batch,
 *                      and on one node that cost outweighs the parallelism
 * @param batchSize     at most this many events handled in one transaction by one segment; a live processor's batch
 *                      is what has arrived since its last one, a replaying processor's is this many
 * @param workerThreads threads shared by the segments of all processors of this node
 * @param idleSignal    how often idle processors look for events committed by other nodes
 * @param tokenClaimInterval how often a processor looks for segments to claim; also how soon a segment whose batch
 *                      failed is taken up again (Axon's default, 5 s, left a group stopped that long after one bad
 *                      event)
 * @param monitorInterval how often the lag and the dead letters of the watched read models are looked up
 *                      ({@link ReadModelMonitor})
 */
@ConfigurationProperties("aiagg.axon.processing")
record ProcessingProperties(@DefaultValue("1") int segments,
                            @DefaultValue("1000") int batchSize,
                            @DefaultValue("4") int workerThreads,
                            @DefaultValue("100ms") Duration idleSignal,
                            @DefaultValue("1s") Duration tokenClaimInterval,
                            @DefaultValue("100ms") Duration monitorInterval) {

    ProcessingProperties {
        if (segments < 1 || batchSize < 1 || workerThreads < 1) {
            throw new IllegalArgumentException(
                    "aiagg.axon.processing.segments, batch-size and worker-threads must be at least 1");
        }
        if (tokenClaimInterval.toMillis() < 1 || monitorInterval.toMillis() < 1) {
            throw new IllegalArgumentException(
                    "aiagg.axon.processing.token-claim-interval and monitor-interval must be positive");
        }
    }
}
