package dev.aiagg.axon.sample;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import dev.aiagg.api.DomainException;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;

/** A running total, to see which result each caller of a grouped commit receives. Cached like the Account. */
@Aggregate(snapshotTriggerDefinition = "accountSnapshotTrigger", cache = "accountCache")
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY)
public class Tally {

    @AggregateIdentifier
    private String tallyId;
    private long total;

    protected Tally() {
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    long handle(AddToTally command) {
        if (command.amount() <= 0) {
            throw new DomainException("invalid_amount", "a tally only grows");
        }
        apply(new TallyAdded(command.tallyId(), command.amount(), total + command.amount()));
        return total;
    }

    /** Applies before it validates, against the rule, to show that a refusal still leaves nothing behind. */
    @CommandHandler
    long handle(AddToCappedTally command) {
        apply(new TallyAdded(command.tallyId(), command.amount(), total + command.amount()));
        if (total > command.cap()) {
            throw new DomainException("over_cap", "the tally would pass its cap of " + command.cap());
        }
        return total;
    }

    @CommandHandler
    void handle(BreakTally command) {
        throw new IllegalStateException("tally " + command.tallyId() + " is broken");
    }

    @EventSourcingHandler
    void on(TallyAdded event) {
        tallyId = event.tallyId();
        total = event.totalAfter();
    }
}
