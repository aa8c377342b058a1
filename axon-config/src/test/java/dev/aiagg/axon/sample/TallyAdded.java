package dev.aiagg.axon.sample;

import org.axonframework.serialization.Revision;

@Revision("1")
public record TallyAdded(String tallyId, long amount, long totalAfter) {
}
