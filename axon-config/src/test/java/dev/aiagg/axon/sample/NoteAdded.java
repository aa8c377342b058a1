package dev.aiagg.axon.sample;

import java.time.Instant;
import org.axonframework.serialization.Revision;

@Revision("1")
public record NoteAdded(String notebookId, String text, Instant addedAt) {
}
