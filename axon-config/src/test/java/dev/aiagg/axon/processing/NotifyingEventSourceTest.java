package dev.aiagg.axon.processing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A processor's stream stays a bounded distance ahead of what the processor has handled. */
class NotifyingEventSourceTest {

    private static final int EVENTS = 3 * NotifyingEventSource.MAX_AHEAD;

    private final EmbeddedEventStore eventStore =
            EmbeddedEventStore.builder().storageEngine(new InMemoryEventStorageEngine()).build();
    private final NotifyingEventSource source = new NotifyingEventSource(eventStore, Duration.ofHours(1));

    @AfterEach
    void close() {
        source.close();
        eventStore.shutDown();
    }

    @Test
    void aProcessorIsNotHandedMoreThanItsLeadOverWhatItHandled() throws Exception {
        eventStore.publish(IntStream.range(0, EVENTS).mapToObj(GenericEventMessage::asEventMessage).toList());
        AtomicLong handled = new AtomicLong(-1);
        AtomicInteger signals = new AtomicInteger();
        BlockingStream<TrackedEventMessage<?>> stream =
                source.pacedBy(handled::get).openStream(source.createTailToken());
        stream.setOnAvailableCallback(signals::incrementAndGet);

        long last = readWhileAvailable(stream, -1);
        assertThat(last).isBetween(NotifyingEventSource.MAX_AHEAD - 2L, NotifyingEventSource.MAX_AHEAD + 1L);
        assertThat(stream.hasNextAvailable()).isFalse();

        int signalsBefore = signals.get();
        handled.set(last);
        await().atMost(Duration.ofSeconds(1)).until(() -> signals.get() > signalsBefore);

        long next = readWhileAvailable(stream, last);
        assertThat(next).isGreaterThan(last + NotifyingEventSource.MAX_AHEAD - 2L);
        stream.close();
    }

    @Test
    void aMomentWithoutProgressToGoByDoesNotLiftTheLimitForGood() throws Exception {
        eventStore.publish(IntStream.range(0, EVENTS).mapToObj(GenericEventMessage::asEventMessage).toList());
        // As during a restart or a replay: no segment claimed here yet, so no limit.
        AtomicLong handled = new AtomicLong(Long.MAX_VALUE);
        BlockingStream<TrackedEventMessage<?>> stream =
                source.pacedBy(handled::get).openStream(source.createTailToken());
        long last = -1;
        for (int i = 0; i <= NotifyingEventSource.MAX_AHEAD && stream.hasNextAvailable(); i++) {
            last = stream.nextAvailable().trackingToken().position().orElseThrow();
        }
        assertThat(last).isGreaterThanOrEqualTo(NotifyingEventSource.MAX_AHEAD);

        handled.set(0);
        assertThat(readWhileAvailable(stream, last)).isEqualTo(last);
        stream.close();
    }

    @Test
    void theSharedSourceHandsOutEverything() throws Exception {
        eventStore.publish(IntStream.range(0, EVENTS).mapToObj(GenericEventMessage::asEventMessage).toList());
        BlockingStream<TrackedEventMessage<?>> stream = source.openStream(source.createTailToken());

        assertThat(readWhileAvailable(stream, -1)).isEqualTo(EVENTS - 1L);
        stream.close();
    }

    @Test
    void commitsInQuickSuccessionShareTheirLaterSignalsAndTheLastStillGetsThem() throws Exception {
        List<Long> signalledAt = new CopyOnWriteArrayList<>();
        BlockingStream<TrackedEventMessage<?>> stream = source.openStream(source.createTailToken());
        stream.setOnAvailableCallback(() -> signalledAt.add(System.nanoTime()));
        int commits = 200;

        long firstCommit = System.nanoTime();
        for (int i = 0; i < commits; i++) {
            eventStore.publish(GenericEventMessage.asEventMessage(i));
            Thread.sleep(1);
        }
        long lastCommit = System.nanoTime();

        await().atMost(Duration.ofSeconds(1)).until(() -> signalledAt.stream()
                .anyMatch(at -> at - lastCommit >= Duration.ofMillis(45).toNanos()));
        Thread.sleep(100);
        // One signal at each commit; of those 5, 20 and 50 ms later at most one each per 5, 20 and 50 ms (not one
        // each per commit, which would be three times as many as the commits).
        long millis = Duration.ofNanos(lastCommit - firstCommit).toMillis() + 100;
        assertThat(signalledAt.size()).isBetween(commits, commits + (int) (millis / 5 + millis / 20 + millis / 50) + 3);
        stream.close();
    }

    /** The position of the last event read. */
    private static long readWhileAvailable(BlockingStream<TrackedEventMessage<?>> stream, long from)
            throws InterruptedException {
        long last = from;
        while (stream.hasNextAvailable()) {
            last = stream.nextAvailable().trackingToken().position().orElseThrow();
        }
        return last;
    }
}
