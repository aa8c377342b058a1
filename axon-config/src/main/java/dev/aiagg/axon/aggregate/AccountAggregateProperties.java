package dev.aiagg.axon.aggregate;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param snapshotThreshold events applied to an Account since it was last loaded or snapshotted that trigger a snapshot
 * @param cacheSize         Account aggregates kept in memory on this node
 * @param snapshotThreads   threads that write snapshots, off the command thread
 */
@ConfigurationProperties("aiagg.axon.account")
record AccountAggregateProperties(@DefaultValue("250") int snapshotThreshold,
                                  @DefaultValue("10000") int cacheSize,
                                  @DefaultValue("1") int snapshotThreads) {

    AccountAggregateProperties {
        if (snapshotThreshold < 1 || cacheSize < 1 || snapshotThreads < 1) {
            throw new IllegalArgumentException(
                    "aiagg.axon.account.snapshot-threshold, cache-size and snapshot-threads must be at least 1");
        }
    }
}
