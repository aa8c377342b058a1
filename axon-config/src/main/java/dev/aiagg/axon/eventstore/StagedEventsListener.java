package dev.aiagg.axon.eventstore;

/**
 * A root unit of work that wants to hear when events are staged in it (or in a unit of work nested in it), at the
 * moment they are published rather than when it commits. The command bus's batches use it to tell which of their
 * commands published events.
 */
public interface StagedEventsListener {

    /** Events were just staged, on this thread, while this unit of work's current message was being handled. */
    void eventsStaged();
}
