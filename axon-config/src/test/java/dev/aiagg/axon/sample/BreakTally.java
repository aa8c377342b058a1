package dev.aiagg.axon.sample;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Always fails with an exception that is not a refusal, as a bug in a handler would. */
public record BreakTally(@TargetAggregateIdentifier String tallyId) {
}
