package dev.aiagg.axon.publication;

import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpConnectException;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.AmqpIOException;
import org.springframework.amqp.AmqpTimeoutException;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Resumes publication as soon as the broker is back. A batch that cannot reach the broker fails, and Axon's pooled
 * processor then leaves the segment alone for a back-off that doubles with every failure, up to a minute: after a long
 * outage publication would resume up to a minute after the broker returned. While batches fail for want of a broker,
 * this asks the broker every {@code aiagg.publication.recovery-probe-interval} whether it answers (a passive declare
 * of the exchange). Once it has seen the broker away and then back, it ends the back-off of the segments this node
 * has not claimed, so the processor claims them and publishes at once. It stops once a batch has been confirmed. A
 * batch refused by a broker that answers keeps Axon's back-off.
 */
@Component
@ConditionalOnProperty(name = RabbitMqPublication.ENABLED_PROPERTY, havingValue = "true")
class PublicationRecovery implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(PublicationRecovery.class);

    private final RabbitTemplate rabbitTemplate;
    private final EventProcessingConfiguration processing;
    private final TokenStore tokenStore;
    private final TransactionManager transactionManager;
    private final PublicationProperties properties;
    private final ScheduledExecutorService prober = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "publication-recovery");
        thread.setDaemon(true);
        return thread;
    });
    private ScheduledFuture<?> probing;
    private volatile boolean brokerAway;
    private volatile boolean sawItAway;
    private volatile boolean running;

    PublicationRecovery(RabbitTemplate rabbitTemplate, EventProcessingConfiguration processing,
                        TokenStore tokenStore, TransactionManager transactionManager,
                        PublicationProperties properties) {
        this.rabbitTemplate = rabbitTemplate;
        this.processing = processing;
        this.tokenStore = tokenStore;
        this.transactionManager = transactionManager;
        this.properties = properties;
    }

    /** A batch could not be published; when the broker was unreachable, start asking it whether it is back. */
    void failed(AmqpException failure) {
        if (!(failure instanceof AmqpConnectException || failure instanceof AmqpIOException
                || failure instanceof AmqpTimeoutException)) {
            // The broker answers and refuses: Axon's back-off is the right pace for that.
            sawItAway = false;
            return;
        }
        synchronized (this) {
            if (brokerAway || !running) {
                return;
            }
            brokerAway = true;
            long every = properties.recoveryProbeInterval().toMillis();
            probing = prober.scheduleWithFixedDelay(this::probe, every, every, TimeUnit.MILLISECONDS);
        }
        log.warn("RabbitMQ is unreachable, publication waits for it: {}", failure.getMessage());
    }

    /** A batch was confirmed: the broker is back and the processor is publishing. */
    void published() {
        if (brokerAway) {
            synchronized (this) {
                stopProbing();
            }
            log.info("RabbitMQ is reachable again, publication has resumed");
        }
    }

    private void probe() {
        try {
            rabbitTemplate.execute(channel -> channel.exchangeDeclarePassive(RabbitMqPublication.EXCHANGE));
        } catch (AmqpException stillAway) {
            sawItAway = true;
            log.debug("RabbitMQ is still unreachable: {}", stillAway.getMessage());
            return;
        }
        if (!sawItAway) {
            return;
        }
        // Again at every probe until a batch is confirmed: a batch still failing on the old connection when the
        // broker returned sets a new back-off after the first release.
        try {
            processing.eventProcessor(RabbitMqPublication.PROCESSING_GROUP, StreamingEventProcessor.class)
                    .ifPresent(this::retryNow);
        } catch (RuntimeException failed) {
            // The token store is the database, which may be away too: the next probe tries again.
            log.debug("could not end the publication's back-off: {}", failed.toString());
        }
    }

    /** A release that ends now lifts the back-off of a segment nobody here is working on. */
    private void retryNow(StreamingEventProcessor processor) {
        Set<Integer> claimedHere = processor.processingStatus().keySet();
        int[] segments = transactionManager.fetchInTransaction(
                () -> tokenStore.fetchSegments(RabbitMqPublication.PROCESSING_GROUP));
        Arrays.stream(segments)
                .filter(segment -> !claimedHere.contains(segment))
                .forEach(segment -> processor.releaseSegment(segment, 0, TimeUnit.MILLISECONDS));
    }

    private void stopProbing() {
        brokerAway = false;
        sawItAway = false;
        if (probing != null) {
            probing.cancel(false);
            probing = null;
        }
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        synchronized (this) {
            running = false;
            stopProbing();
        }
        prober.shutdownNow();
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
