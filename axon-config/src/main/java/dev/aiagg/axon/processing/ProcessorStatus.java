package dev.aiagg.axon.processing;

/**
 * The state of one streaming event processor on this node.
 *
 * @param caughtUp running, not replaying, and every segment has reached the head of the event store
 */
public record ProcessorStatus(String name, boolean running, boolean replaying, boolean caughtUp) {
}
