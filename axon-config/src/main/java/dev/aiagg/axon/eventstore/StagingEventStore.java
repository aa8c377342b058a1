package dev.aiagg.axon.eventstore;

import java.util.List;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;

/**
 * Axon's embedded event store, which also tells a root unit of work that is a {@link StagedEventsListener} when
 * events are staged in it. Axon's own hooks (dispatch interceptors, processors) only see staged events when the unit
 * of work commits, too late to know which message of a batch published them.
 */
final class StagingEventStore extends EmbeddedEventStore {

    StagingEventStore(Builder builder) {
        super(builder);
    }

    @Override
    public void publish(List<? extends EventMessage<?>> events) {
        super.publish(events);
        CurrentUnitOfWork.ifStarted(StagingEventStore::tellRoot);
    }

    private static void tellRoot(UnitOfWork<?> unitOfWork) {
        if (unitOfWork.root() instanceof StagedEventsListener listener) {
            listener.eventsStaged();
        }
    }
}
