package dev.aiagg.axon.commandbus;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param batching    false to fall back to Axon's SimpleCommandBus, one transaction per command on the caller's thread
 * @param workers     threads that handle commands; all commands for one aggregate go to the same one. Fewer workers
 *                    make bigger batches (fewer commits); one measured best on two cores, where event processors,
 *                    PostgreSQL and RabbitMQ need the rest of the CPU
 * @param maxBatch    most commands a worker commits in one transaction
 * @param maxQueued   most commands waiting for one worker; one more is refused at once with
 *                    {@link CommandBusOverloadedException}
 * @param sendTimeout longest a caller of {@code CommandGateway.sendAndWait(command)} waits for the result before a
 *                    {@link CommandTimeoutException}
 */
@ConfigurationProperties("aiagg.axon.command-bus")
record CommandBusProperties(@DefaultValue("true") boolean batching,
                            @DefaultValue("1") int workers,
                            @DefaultValue("128") int maxBatch,
                            @DefaultValue("4096") int maxQueued,
                            @DefaultValue("5s") Duration sendTimeout) {

    CommandBusProperties {
        if (workers < 1 || maxBatch < 1 || maxQueued < 1) {
            throw new IllegalArgumentException(
                    "aiagg.axon.command-bus.workers, max-batch and max-queued must be at least 1");
        }
        if (sendTimeout == null || sendTimeout.isNegative() || sendTimeout.isZero()) {
            throw new IllegalArgumentException("aiagg.axon.command-bus.send-timeout must be positive");
        }
    }
}
