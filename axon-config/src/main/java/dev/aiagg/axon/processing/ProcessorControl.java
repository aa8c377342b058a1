package dev.aiagg.axon.processing;

import dev.aiagg.api.NotFoundException;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.ReplayToken;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.StreamableMessageSource;
import org.springframework.stereotype.Component;

/**
 * Pauses, resumes and replays the streaming event processors of this node, and tells whether one has caught up.
 * <p>
 * A replay resets the tokens of every segment, which Axon allows only while no node holds a claim on them: with
 * several nodes, pause the processor everywhere first.
 */
@Component
public class ProcessorControl {

    private final EventProcessingConfiguration processing;
    private final EventStore eventStore;
    private final StoredTokens storedTokens;

    ProcessorControl(EventProcessingConfiguration processing, EventStore eventStore, StoredTokens storedTokens) {
        this.processing = processing;
        this.eventStore = eventStore;
        this.storedTokens = storedTokens;
    }

    public List<ProcessorStatus> list() {
        return processing.eventProcessors().keySet().stream()
                .sorted(Comparator.naturalOrder())
                .flatMap(name -> processing.eventProcessor(name, StreamingEventProcessor.class)
                        .map(processor -> status(name, processor)).stream())
                .toList();
    }

    public void pause(String name) {
        processor(name).shutDown();
    }

    public void resume(String name) {
        processor(name).start();
    }

    /** Rebuilds the processor's read model from the first event; its {@code @ResetHandler}s clear the old state. */
    public void replay(String name) {
        StreamingEventProcessor processor = processor(name);
        processor.shutDown();
        processor.resetTokens(StreamableMessageSource::createTailToken);
        processor.start();
    }

    /**
     * Ends the back-off of every segment no processor of this node is working on. A batch that fails (its database
     * or broker away) makes Axon leave its segment alone for a back-off that doubles with each failure, up to a
     * minute; once the dependency is back, this has every running processor claim its segments again at once.
     */
    public void retryNow() {
        processing.eventProcessors().keySet().forEach(name -> processing
                .eventProcessor(name, StreamingEventProcessor.class)
                .filter(StreamingEventProcessor::isRunning)
                .ifPresent(processor -> {
                    Set<Integer> claimedHere = processor.processingStatus().keySet();
                    storedTokens.of(name).keySet().stream()
                            .filter(segment -> !claimedHere.contains(segment))
                            .forEach(segment -> processor.releaseSegment(segment, 0, TimeUnit.MILLISECONDS));
                }));
    }

    /**
     * Running, not re-reading history, and every segment (claimed here, elsewhere or not at all) at the head of the
     * event store.
     */
    public boolean isCaughtUp(String name) {
        return status(name, processor(name)).caughtUp();
    }

    private ProcessorStatus status(String name, StreamingEventProcessor processor) {
        boolean running = processor.isRunning() && !processor.isError();
        Collection<TrackingToken> tokens = currentTokens(name, processor);
        boolean replaying = tokens.stream().anyMatch(ProcessorControl::behindResetPoint);
        long head = position(eventStore.createHeadToken());
        boolean caughtUp = running && !replaying && !tokens.isEmpty()
                && tokens.stream().allMatch(token -> position(token) >= head);
        return new ProcessorStatus(name, running, replaying, caughtUp);
    }

    /**
     * The token of every segment: from memory for the segments claimed here (the stored token of an idle segment
     * lags until the next claim extension), from the token store for the others.
     */
    private Collection<TrackingToken> currentTokens(String name, StreamingEventProcessor processor) {
        Map<Integer, TrackingToken> tokens = new HashMap<>(storedTokens.of(name));
        processor.processingStatus().forEach((segment, status) -> tokens.put(segment, status.getTrackingToken()));
        return tokens.values();
    }

    /**
     * Still re-reading history. Axon itself keeps calling a segment replaying until the first event after the
     * reset point arrives, which may be long after the read model has been rebuilt.
     */
    private static boolean behindResetPoint(TrackingToken token) {
        OptionalLong resetPoint = ReplayToken.getTokenAtReset(token);
        return ReplayToken.isReplay(token) && resetPoint.isPresent() && position(token) < resetPoint.getAsLong();
    }

    private static long position(TrackingToken token) {
        if (token == null) {
            return -1;
        }
        OptionalLong position = token.position();
        return position.orElse(-1);
    }

    private StreamingEventProcessor processor(String name) {
        return processing.eventProcessor(name, StreamingEventProcessor.class)
                .orElseThrow(() -> new NotFoundException("no event processor named " + name));
    }
}
