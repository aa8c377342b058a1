package dev.aiagg.gateway.account;

import java.time.Duration;
import java.util.Collection;
import java.util.Optional;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.stereotype.Component;

/**
 * Lets a request read its own write: after a command, waits until the named projections have handled every event
 * stored so far, so the response (and the next request) sees the change. Projections are asynchronous; without
 * this wait a key issued a moment ago could be refused, and a revoked one accepted.
 * <p>
 * Only segments claimed on this node are visible here. When another node holds some of them, or a processor does
 * not catch up, the wait ends after {@link #TIMEOUT} and the response falls back to what the read model says.
 */
@Component
public class ProjectionSync {

    static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final long POLL_MILLIS = 2;

    private final EventStore eventStore;
    private final EventProcessingConfiguration processing;

    ProjectionSync(EventStore eventStore, EventProcessingConfiguration processing) {
        this.eventStore = eventStore;
        this.processing = processing;
    }

    public void awaitProjections(String... processorNames) {
        long head = position(eventStore.createHeadToken());
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        for (String name : processorNames) {
            Optional<StreamingEventProcessor> processor = processing.eventProcessor(name, StreamingEventProcessor.class);
            if (processor.isEmpty()) {
                continue;
            }
            while (processor.get().isRunning() && !reached(processor.get().processingStatus().values(), head)) {
                if (System.nanoTime() > deadline || !pause()) {
                    return;
                }
            }
        }
    }

    private static boolean reached(Collection<EventTrackerStatus> segments, long head) {
        double covered = 0;
        for (EventTrackerStatus segment : segments) {
            if (segment.isReplaying() || segment.getCurrentPosition().orElse(-1) < head) {
                return false;
            }
            covered += 1.0 / (segment.getSegment().getMask() + 1);
        }
        // Segments split the stream by mask; together they cover it when their shares add up to one.
        return covered > 0.999;
    }

    private static long position(TrackingToken token) {
        return token == null ? -1 : token.position().orElse(-1);
    }

    private static boolean pause() {
        try {
            Thread.sleep(POLL_MILLIS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
