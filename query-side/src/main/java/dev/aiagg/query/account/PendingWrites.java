package dev.aiagg.query.account;

import dev.aiagg.axon.processing.IsolatedRetries;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;

import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The changes a projection collects while a unit of work handles a batch of events, written together just before
 * that unit of work commits: inside its transaction, after the processor has stored its token there, so a failed
 * write rolls back the whole batch and its token, and the batch is handled again. Called outside a unit of work,
 * a change is written at once.
 * <p>
 * The price of writing late: a row that PostgreSQL refuses fails the batch, not the one event. The processor then
 * retries that batch {@link IsolatedRetries isolated}, each event in a savepoint; changes are written at once then,
 * while their event is handled, so the event whose row is refused is dead-lettered and the rest commit.
 *
 * @param <P> the pending changes of one unit of work
 */
final class PendingWrites<P> {

    private final String resourceKey;
    private final Supplier<P> empty;
    private final Consumer<P> write;

    PendingWrites(String resourceKey, Supplier<P> empty, Consumer<P> write) {
        this.resourceKey = resourceKey;
        this.empty = empty;
        this.write = write;
    }

    void add(Consumer<P> change) {
        if (!CurrentUnitOfWork.isStarted() || IsolatedRetries.isIsolated(CurrentUnitOfWork.get())) {
            P pending = empty.get();
            change.accept(pending);
            write.accept(pending);
            return;
        }
        UnitOfWork<?> unitOfWork = CurrentUnitOfWork.get();
        change.accept(unitOfWork.getOrComputeResource(resourceKey, key -> {
            P pending = empty.get();
            unitOfWork.onPrepareCommit(committing -> write.accept(pending));
            return pending;
        }));
    }
}
