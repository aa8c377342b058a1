package dev.aiagg.axon.processing;

import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.concurrent.ConcurrentHashMap;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.EventProcessingException;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.deadletter.DeadLetter;
import org.axonframework.messaging.deadletter.Decisions;
import org.axonframework.messaging.deadletter.EnqueuePolicy;
import org.axonframework.messaging.deadletter.ThrowableCause;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.DefaultTransactionDefinition;

/**
 * Lets one event that its handlers cannot handle go to the dead-letter queue without stopping its processing group,
 * at no cost while batches succeed.
 * <p>
 * A processor handles a batch of events in one transaction. When a handler fails, PostgreSQL has aborted that
 * transaction, so the event's dead letter could not be written in it; and a read model that writes a batch's rows at
 * commit fails the batch, not one event. So a failing batch simply fails (the processor rolls it back and retries the
 * segment from its token), and unless the failure was transient, the next attempt at that segment is <em>isolated</em>:
 * each event is handled inside a savepoint and read models write its rows at once ({@link #isIsolated}). The event that
 * fails again is rolled back to its savepoint and dead-lettered for its sequence, the others commit with the token,
 * and once a batch has committed past the failed one, the segment goes back to plain batches.
 * <p>
 * A transient failure (the database away, a lock or statement timeout, a serialization failure or deadlock) is never
 * dead-lettered: it fails the batch, which the processor retries. A dead letter processed again (an operator's retry)
 * is always isolated, so a letter that fails again only updates its cause.
 */
public final class IsolatedRetries {

    private static final Logger log = LoggerFactory.getLogger(IsolatedRetries.class);
    private static final String MODE = IsolatedRetries.class.getName() + ".mode";
    private static final String SAVEPOINT = IsolatedRetries.class.getName() + ".savepoint";
    /** Control characters but tab and line breaks; PostgreSQL refuses NUL in text, the rest only garbles logs. */
    private static final Pattern UNSTORABLE = Pattern.compile("[\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F]");
    private static final TransactionDefinition NESTED =
            new DefaultTransactionDefinition(TransactionDefinition.PROPAGATION_NESTED);

    private final PlatformTransactionManager transactions;
    /** Segments whose next attempts are isolated, each until a batch reaching this position has committed. */
    private final Map<SegmentKey, Long> isolated = new ConcurrentHashMap<>();

    public IsolatedRetries(PlatformTransactionManager transactions) {
        this.transactions = transactions;
    }

    /**
     * Whether the given unit of work handles each event on its own, inside a savepoint: a read model that collects
     * rows to write them at commit must then write each event's rows while handling it.
     */
    public static boolean isIsolated(UnitOfWork<?> unitOfWork) {
        Mode mode = unitOfWork.getResource(MODE);
        return mode != null && mode != Mode.BATCH;
    }

    /** Wraps the handling of every event of the named streaming processor (and of its dead letters). */
    public MessageHandlerInterceptor<EventMessage<?>> interceptor(String processorName) {
        // The resources under which Axon's pooled processor (its WorkPackage) gives a batch its segment and last token.
        String segmentKey = "Processor[" + processorName + "]/SegmentId";
        String tokenKey = "Processor[" + processorName + "]/Token";
        return (unitOfWork, chain) -> {
            // Decided once per batch, by its first event; nothing is allocated for the others.
            Mode mode = unitOfWork.getResource(MODE);
            if (mode == null) {
                mode = begin(unitOfWork, processorName, segmentKey, tokenKey);
                unitOfWork.resources().put(MODE, mode);
            }
            return mode == Mode.BATCH ? chain.proceed() : inSavepoint(unitOfWork, chain);
        };
    }

    /**
     * Decides what becomes of an event whose handler failed: in a plain batch, the batch fails (to be retried,
     * isolated unless the failure was transient); in an isolated batch, a transient failure fails the batch too and
     * any other is undone to the event's savepoint and dead-lettered; a dead letter processed again stays in the
     * queue with its new cause.
     */
    public EnqueuePolicy<EventMessage<?>> policy() {
        return (letter, cause) -> {
            UnitOfWork<?> unitOfWork = CurrentUnitOfWork.isStarted() ? CurrentUnitOfWork.get() : null;
            Mode mode = unitOfWork == null ? null : unitOfWork.getResource(MODE);
            if (mode == Mode.BATCH || mode == Mode.ISOLATED_BATCH && Failures.isTransient(cause)) {
                throw rethrown(cause);
            }
            if (mode == Mode.LETTER) {
                return Decisions.requeue(requeueCause(cause));
            }
            if (mode == Mode.ISOLATED_BATCH) {
                // The event's own writes go; its dead letter is written in their place.
                transactions.rollback(unitOfWork.getResource(SAVEPOINT));
            }
            return Decisions.enqueue(storable(cause));
        };
    }

    private Mode begin(UnitOfWork<?> unitOfWork, String processorName, String segmentKey, String tokenKey) {
        if (unitOfWork.getResource(DeadLetter.class.getName()) != null) {
            return Mode.LETTER;
        }
        Integer segment = unitOfWork.getResource(segmentKey);
        if (segment == null) {
            return Mode.BATCH;
        }
        SegmentKey key = new SegmentKey(processorName, segment);
        long last = position(unitOfWork.getResource(tokenKey));
        if (isolated.containsKey(key)) {
            unitOfWork.afterCommit(committed -> isolated.computeIfPresent(key, (k, until) -> {
                if (last < until) {
                    return until;
                }
                log.info("Processor {} segment {}: handled on their own up to position {}; back to batches",
                        processorName, segment, last);
                return null;
            }));
            return Mode.ISOLATED_BATCH;
        }
        unitOfWork.onRollback(failed -> {
            Throwable cause = failed.getExecutionResult().getExceptionResult();
            if (!Failures.isTransient(cause)) {
                isolated.put(key, last);
                log.warn("Processor {} segment {}: a batch up to position {} failed ({}); its next attempt handles "
                        + "each event on its own and dead-letters the one that fails", processorName, segment, last,
                        cause == null ? "no cause" : cause.toString());
            }
        });
        return Mode.BATCH;
    }

    private Object inSavepoint(UnitOfWork<?> unitOfWork, InterceptorChain chain) throws Exception {
        TransactionStatus savepoint = transactions.getTransaction(NESTED);
        unitOfWork.resources().put(SAVEPOINT, savepoint);
        try {
            Object result = chain.proceed();
            if (!savepoint.isCompleted()) {
                transactions.commit(savepoint);
            }
            return result;
        } catch (Exception | Error failure) {
            if (!savepoint.isCompleted()) {
                try {
                    transactions.rollback(savepoint);
                } catch (RuntimeException rollbackFailed) {
                    failure.addSuppressed(rollbackFailed);
                }
            }
            throw failure;
        } finally {
            unitOfWork.resources().remove(SAVEPOINT);
        }
    }

    private static RuntimeException rethrown(Throwable cause) {
        if (cause instanceof RuntimeException unchecked) {
            return unchecked;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        return new EventProcessingException("an event handler failed", cause);
    }

    /**
     * The cause as the dead-letter table can keep it: PostgreSQL refuses NUL in text, and a message may quote the very
     * value that broke the handler.
     */
    static ThrowableCause storable(Throwable cause) {
        String message = cause.getMessage();
        if (message != null) {
            message = UNSTORABLE.matcher(message).replaceAll("\uFFFD");
            if (message.length() > ThrowableCause.TRUNCATED_MESSAGE_SIZE) {
                message = message.substring(0, ThrowableCause.TRUNCATED_MESSAGE_SIZE);
            }
        }
        return new ThrowableCause(cause.getClass().getName(), message);
    }

    /**
     * Axon's JDBC queue records a requeued letter's cause under the class name of the throwable it is given, so the
     * failure itself goes, unless its message cannot be stored.
     */
    private static Throwable requeueCause(Throwable cause) {
        ThrowableCause storable = storable(cause);
        return Objects.equals(storable.message(), cause.getMessage()) ? cause
                : new EventProcessingException(storable.type() + ": " + storable.message(), null);
    }

    private static long position(TrackingToken token) {
        return token == null ? -1 : token.position().orElse(-1);
    }

    private enum Mode {
        /** A plain batch: one transaction, rows written at commit. */
        BATCH,
        /** A batch retried after a failure of one of its events: each event in a savepoint. */
        ISOLATED_BATCH,
        /** A dead letter processed again. */
        LETTER
    }

    private record SegmentKey(String processorName, int segment) {
    }
}
