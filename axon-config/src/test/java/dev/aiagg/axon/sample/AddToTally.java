package dev.aiagg.axon.sample;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Answers with the tally's total after the addition; refused unless the amount is positive. */
public record AddToTally(@TargetAggregateIdentifier String tallyId, long amount) {
}
