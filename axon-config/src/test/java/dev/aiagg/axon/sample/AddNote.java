package dev.aiagg.axon.sample;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record AddNote(@TargetAggregateIdentifier String notebookId, String text) {
}
