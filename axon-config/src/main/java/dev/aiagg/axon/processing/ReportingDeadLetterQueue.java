package dev.aiagg.axon.processing;

import io.micrometer.core.instrument.Counter;
import java.util.Map;
import java.util.OptionalLong;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.deadletter.jdbc.JdbcSequencedDeadLetterQueue;
import org.axonframework.messaging.deadletter.Cause;
import org.axonframework.messaging.deadletter.DeadLetter;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Axon's JDBC dead-letter queue that says so: once the transaction that wrote a dead letter has committed, one
 * warning per letter (group, sequence, event type and id, global position, cause, with the event's correlation id)
 * and a count ({@code aiagg.dead-letters.enqueued}, tagged with the group). A letter queued behind an earlier one
 * of its sequence has no cause of its own.
 */
final class ReportingDeadLetterQueue extends JdbcSequencedDeadLetterQueue<EventMessage<?>> {

    private static final Logger log = LoggerFactory.getLogger(ReportingDeadLetterQueue.class);

    private final String group;
    private final Counter enqueued;

    ReportingDeadLetterQueue(Builder<EventMessage<?>> builder, String group, Counter enqueued) {
        super(builder.processingGroup(group));
        this.group = group;
        this.enqueued = enqueued;
    }

    @Override
    public void enqueue(Object sequenceIdentifier,
                        DeadLetter<? extends EventMessage<?>> letter) {
        super.enqueue(sequenceIdentifier, letter);
        Map<String, String> context = MDC.getCopyOfContextMap();
        Runnable report = () -> report(sequenceIdentifier, letter, context);
        if (CurrentUnitOfWork.isStarted()) {
            CurrentUnitOfWork.get().afterCommit(committed -> report.run());
        } else {
            report.run();
        }
    }

    private void report(Object sequenceIdentifier, DeadLetter<? extends EventMessage<?>> letter,
                        Map<String, String> context) {
        enqueued.increment();
        Map<String, String> current = MDC.getCopyOfContextMap();
        if (context != null) {
            MDC.setContextMap(context);
        }
        try {
            EventMessage<?> event = letter.message();
            log.warn("Dead-lettered in {}: sequence {}, event {} {}, position {}, {}", group, sequenceIdentifier,
                    event.getPayloadType().getName(), event.getIdentifier(), position(event),
                    letter.cause().map(ReportingDeadLetterQueue::describe)
                            .orElse("queued behind an earlier letter of its sequence"));
        } finally {
            if (current == null) {
                MDC.clear();
            } else {
                MDC.setContextMap(current);
            }
        }
    }

    private static String position(EventMessage<?> event) {
        if (event instanceof TrackedEventMessage<?> tracked && tracked.trackingToken() != null) {
            OptionalLong position = tracked.trackingToken().position();
            if (position.isPresent()) {
                return Long.toString(position.getAsLong());
            }
        }
        return "unknown";
    }

    private static String describe(Cause cause) {
        return "cause " + cause.type() + ": " + cause.message();
    }
}
