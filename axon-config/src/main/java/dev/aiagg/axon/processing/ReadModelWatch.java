package dev.aiagg.axon.processing;

import java.time.Duration;
import java.util.Set;

/**
 * What the {@link ReadModelMonitor} last found about one read model: whether it may be trusted now (its processor
 * runs here, without error, and has handled every event stored more than the allowed lag ago) and which of its
 * sequences are dead-lettered. Reading it costs nothing but a volatile read; a finding older than the allowed lag
 * vouches for nothing, so a monitor that stopped looking makes the read model untrusted.
 */
public final class ReadModelWatch {

    private final String processingGroup;
    private final Duration maxLag;
    private volatile Finding finding;

    ReadModelWatch(String processingGroup, Duration maxLag) {
        this.processingGroup = processingGroup;
        this.maxLag = maxLag;
        this.finding = new Finding(false, "not looked at yet", Set.of(), System.nanoTime());
    }

    public String processingGroup() {
        return processingGroup;
    }

    public Duration maxLag() {
        return maxLag;
    }

    /** Current enough to decide on: running here and at most {@link #maxLag()} behind, as of a recent look. */
    public boolean current() {
        Finding last = finding;
        return last.current() && System.nanoTime() - last.atNanos() <= maxLag.toNanos();
    }

    /** Why the read model is not {@link #current()}, for logs and answers; null when it is. */
    public String whyNotCurrent() {
        Finding last = finding;
        if (!last.current()) {
            return last.reason();
        }
        return current() ? null : "its state has not been looked at for more than " + maxLag.toMillis() + " ms";
    }

    /** Whether events of this sequence (an aggregate identifier) wait in the dead-letter queue of the group. */
    public boolean deadLettered(String sequenceIdentifier) {
        Set<String> sequences = finding.deadLettered();
        return !sequences.isEmpty() && sequenceIdentifier != null && sequences.contains(sequenceIdentifier);
    }

    void update(boolean current, String reason, Set<String> deadLettered, long atNanos) {
        finding = new Finding(current, reason, Set.copyOf(deadLettered), atNanos);
    }

    private record Finding(boolean current, String reason, Set<String> deadLettered, long atNanos) {
    }
}
