package dev.aiagg.axon.processing;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
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
 * <p>
 * A processor's stream also keeps it from reading too far ahead of what it has handled. Axon's pooled processor
 * queues at most 1,024 events per segment, and once a queue is full its coordinator waits 100 ms before it reads
 * again, which caps a replay at about 10,000 events per second per segment. Held to {@value #MAX_AHEAD} events
 * ahead, no queue fills: the stream reports nothing to read, and signals again as soon as the processor has caught up
 * a little.
 */
final class NotifyingEventSource implements StreamableMessageSource<TrackedEventMessage<?>>, AutoCloseable {

    private static final long[] COMMIT_SIGNAL_DELAYS_MS = {5, 20, 50};
    static final int MAX_AHEAD = 768;
    private static final long CATCH_UP_SIGNAL_MS = 1;

    private final EventStore eventStore;
    private final Set<NotifyingStream> streams = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService ticker;
    private final List<SignalAfterCommit> signalsAfterCommit;
    private volatile long lastCommitNanos;

    NotifyingEventSource(EventStore eventStore, Duration remotePoll) {
        this.eventStore = eventStore;
        this.ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "event-arrival-ticker");
            thread.setDaemon(true);
            return thread;
        });
        this.signalsAfterCommit = Arrays.stream(COMMIT_SIGNAL_DELAYS_MS)
                .mapToObj(delay -> new SignalAfterCommit(TimeUnit.MILLISECONDS.toNanos(delay)))
                .toList();
        long period = Math.max(1, remotePoll.toMillis());
        ticker.scheduleWithFixedDelay(this::signal, period, period, TimeUnit.MILLISECONDS);
        eventStore.subscribe(events -> {
            if (CurrentUnitOfWork.isStarted()) {
                CurrentUnitOfWork.get().afterCommit(unitOfWork -> signalCommit());
            } else {
                signalCommit();
            }
        });
    }

    @Override
    public BlockingStream<TrackedEventMessage<?>> openStream(TrackingToken trackingToken) {
        return open(trackingToken, () -> Long.MAX_VALUE);
    }

    /**
     * The events as one processor reads them, never more than {@value #MAX_AHEAD} past the lowest position its
     * segments on this node have handled ({@code Long.MAX_VALUE} when it has none).
     */
    StreamableMessageSource<TrackedEventMessage<?>> pacedBy(LongSupplier lowestHandledPosition) {
        return new StreamableMessageSource<>() {
            @Override
            public BlockingStream<TrackedEventMessage<?>> openStream(TrackingToken trackingToken) {
                return open(trackingToken, lowestHandledPosition);
            }

            @Override
            public TrackingToken createTailToken() {
                return NotifyingEventSource.this.createTailToken();
            }

            @Override
            public TrackingToken createHeadToken() {
                return NotifyingEventSource.this.createHeadToken();
            }

            @Override
            public TrackingToken createTokenAt(Instant dateTime) {
                return NotifyingEventSource.this.createTokenAt(dateTime);
            }
        };
    }

    private BlockingStream<TrackedEventMessage<?>> open(TrackingToken trackingToken, LongSupplier lowestHandled) {
        NotifyingStream stream = new NotifyingStream(eventStore.openStream(trackingToken), lowestHandled);
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
        lastCommitNanos = System.nanoTime();
        signal();
        signalsAfterCommit.forEach(SignalAfterCommit::schedule);
    }

    /**
     * A signal some time after the latest commit. Under load commits come far more often than that time, so one
     * pending signal serves all the commits made while it waits: when it fires and commits came meanwhile, it
     * schedules itself again for the latest one. Every commit still gets a signal that long after it.
     */
    private final class SignalAfterCommit implements Runnable {

        private final long delayNanos;
        private final AtomicBoolean pending = new AtomicBoolean();
        private volatile long covers;

        private SignalAfterCommit(long delayNanos) {
            this.delayNanos = delayNanos;
        }

        void schedule() {
            long commit = lastCommitNanos;
            if (pending.compareAndSet(false, true)) {
                scheduleFor(commit);
            }
        }

        @Override
        public void run() {
            signal();
            pending.set(false);
            long commit = lastCommitNanos;
            if (commit - covers > 0 && pending.compareAndSet(false, true)) {
                scheduleFor(commit);
            }
        }

        private void scheduleFor(long commit) {
            covers = commit;
            try {
                ticker.schedule(this, Math.max(0, commit + delayNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException closing) {
                pending.set(false);
            }
        }
    }

    private void signal() {
        streams.forEach(NotifyingStream::signal);
    }

    private final class NotifyingStream implements BlockingStream<TrackedEventMessage<?>> {

        private final BlockingStream<TrackedEventMessage<?>> delegate;
        private final LongSupplier lowestHandled;
        private final AtomicBoolean paused = new AtomicBoolean();
        private volatile Runnable onAvailable;
        private volatile long handedOut = -1;
        private volatile long handled = -1;

        private NotifyingStream(BlockingStream<TrackedEventMessage<?>> delegate, LongSupplier lowestHandled) {
            this.delegate = delegate;
            this.lowestHandled = lowestHandled;
        }

        /**
         * The processor's progress is looked up only when the last figure seen says the stream is too far ahead. A
         * processor with no segments here sets no limit, but that answer is not kept: it is a moment of a restart or
         * a replay, and kept it would lift the limit for the rest of the stream's life.
         */
        private boolean tooFarAhead() {
            if (handedOut - handled >= MAX_AHEAD) {
                long lowest = lowestHandled.getAsLong();
                if (lowest != Long.MAX_VALUE) {
                    handled = lowest;
                }
                if (handedOut - lowest >= MAX_AHEAD) {
                    if (paused.compareAndSet(false, true)) {
                        resumeSoon();
                    }
                    return true;
                }
            }
            if (paused.get()) {
                paused.set(false);
            }
            return false;
        }

        /**
         * Signals until the processor reads again: Axon drops a signal that arrives while its coordinator is still
         * busy, and the coordinator that saw nothing to read would otherwise wait for the next idle signal.
         */
        private void resumeWhenCaughtUp() {
            if (!paused.get()) {
                return;
            }
            if (handedOut - lowestHandled.getAsLong() < MAX_AHEAD) {
                signal();
            }
            resumeSoon();
        }

        private void resumeSoon() {
            try {
                ticker.schedule(this::resumeWhenCaughtUp, CATCH_UP_SIGNAL_MS, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException closing) {
                paused.set(false);
            }
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
            return !tooFarAhead() && delegate.hasNextAvailable(timeout, unit);
        }

        @Override
        public TrackedEventMessage<?> nextAvailable() throws InterruptedException {
            TrackedEventMessage<?> event = delegate.nextAvailable();
            handedOut = event.trackingToken().position().orElse(handedOut);
            return event;
        }

        @Override
        public void skipMessagesWithPayloadTypeOf(TrackedEventMessage<?> ignoredMessage) {
            delegate.skipMessagesWithPayloadTypeOf(ignoredMessage);
        }

        @Override
        public void close() {
            paused.set(false);
            streams.remove(this);
            delegate.close();
        }
    }
}
