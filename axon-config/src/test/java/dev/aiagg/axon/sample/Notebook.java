package dev.aiagg.axon.sample;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import java.time.Instant;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;

/** Uses the Account's snapshot trigger and cache, so the tests exercise both. */
@Aggregate(snapshotTriggerDefinition = "accountSnapshotTrigger", cache = "accountCache")
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY)
public class Notebook {

    @AggregateIdentifier
    private String notebookId;
    private int notes;

    protected Notebook() {
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    void handle(AddNote command) {
        if (command.text() == null || command.text().isBlank()) {
            throw new IllegalArgumentException("a note has text");
        }
        apply(new NoteAdded(command.notebookId(), command.text(), Instant.now()));
    }

    @EventSourcingHandler
    void on(NoteAdded event) {
        notebookId = event.notebookId();
        notes++;
    }
}
