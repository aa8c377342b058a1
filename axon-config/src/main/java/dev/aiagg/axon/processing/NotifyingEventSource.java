package dev.aiagg.axon.processing;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.StreamableMessageSource;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;

/**
 * The event store as streaming processors read it, with a signal when new events may be there. Without such a signal
 * Axon's pooled processor looks for new events only every 500 ms while idle, so a revoked key or a new balance would
 * show late. Events committed on this node signal right after their commit; events of other nodes are picked up by a
 * short periodic signal.
 */
final class NotifyingEventSource implements StreamableMessageSource<TrackedEventMessage<?>>, AutoCloseable {

    private static final long[] COMMIT_SIGNAL_DELAYS_MS = {5, 20, 50};

    private final EventStore eventStore;
    private final Set<NotifyingStream> streams = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService ticker;

    NotifyingEventSource(EventStore eventStore, Duration remotePoll) {
        this.eventStore = eventStore;
        eventStore.subscribe(events -> {
            if (CurrentUnitOfWork.isStarted()) {
                CurrentUnitOfWork.get().afterCommit(unitOfWork -> signalCommit());
            } else {
                signalCommit();
            }
        });
        this.ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "event-arrival-ticker");
            thread.setDaemon(true);
            return thread;
        });
        long period = Math.max(1, remotePoll.toMillis());
        ticker.scheduleWithFixedDelay(this::signal, period, period, TimeUnit.MILLISECONDS);
    }

    @Override
    public BlockingStream<TrackedEventMessage<?>> openStream(TrackingToken trackingToken) {
        NotifyingStream stream = new NotifyingStream(eventStore.openStream(trackingToken));
        streams.add(stream);
        return stream;
    }

    @Override
    public TrackingToken createTailToken() {
        return eventStore.createTailToken();
    }

    @Override
    public TrackingToken createHeadToken() {
        return eventStore.createHeadToken();
    }

    @Override
    public TrackingToken createTokenAt(Instant dateTime) {
        return eventStore.createTokenAt(dateTime);
    }

    @Override
    public void close() {
        ticker.shutdownNow();
    }

    /**
     * The store's reader fetches committed events on its own thread, so they may not be readable at the very moment
     * of the commit: signal again shortly after.
     */
    private void signalCommit() {
        signal();
        for (long delay : COMMIT_SIGNAL_DELAYS_MS) {
            ticker.schedule(this::signal, delay, TimeUnit.MILLISECONDS);
        }
    }

    private void signal() {
        streams.forEach(NotifyingStream::signal);
    }

    private final class NotifyingStream implements BlockingStream<TrackedEventMessage<?>> {

        private final BlockingStream<TrackedEventMessage<?>> delegate;
        private volatile Runnable onAvailable;

        private NotifyingStream(BlockingStream<TrackedEventMessage<?>> delegate) {
            this.delegate = delegate;
        }

        void signal() {
            Runnable callback = onAvailable;
            if (callback != null) {
                callback.run();
            }
        }

        @Override
        public boolean setOnAvailableCallback(Runnable callback) {
            onAvailable = callback;
            return true;
        }

        @Override
        public Optional<TrackedEventMessage<?>> peek() {
            return delegate.peek();
        }

        @Override
        public boolean hasNextAvailable(int timeout, TimeUnit unit) throws InterruptedException {
            return delegate.hasNextAvailable(timeout, unit);
        }

        @Override
        public TrackedEventMessage<?> nextAvailable() throws InterruptedException {
            return delegate.nextAvailable();
        }

        @Override
        public void skipMessagesWithPayloadTypeOf(TrackedEventMessage<?> ignoredMessage) {
            delegate.skipMessagesWithPayloadTypeOf(ignoredMessage);
        }

        @Override
        public void close() {
            streams.remove(this);
            delegate.close();
        }
    }
}
