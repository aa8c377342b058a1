package dev.aiagg.axon.sample;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Adds like {@link AddToTally}, but is refused when the total would pass the cap, checked only after applying. */
public record AddToCappedTally(@TargetAggregateIdentifier String tallyId, long amount, long cap) {
}
