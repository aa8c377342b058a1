package dev.aiagg.gateway.dependency;

import dev.aiagg.axon.processing.ProcessorControl;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;

/**
 * Event processors whose batches failed while PostgreSQL was away are left alone by Axon for a back-off that grows to
 * a minute; read models (keys, balances) would lag that long after PostgreSQL is back. When its circuit closes again,
 * every processor claims its segments at once.
 */
@Component
class ProcessingAfterOutage implements SmartInitializingSingleton, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(ProcessingAfterOutage.class);

    private final DependencyCircuits circuits;
    private final ProcessorControl processors;
    private final ExecutorService resumer = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "processing-after-outage");
        thread.setDaemon(true);
        return thread;
    });

    ProcessingAfterOutage(DependencyCircuits circuits, ProcessorControl processors) {
        this.circuits = circuits;
        this.processors = processors;
    }

    @Override
    public void afterSingletonsInstantiated() {
        circuits.database().getEventPublisher().onStateTransition(event -> {
            if (event.getStateTransition() == CircuitBreaker.StateTransition.HALF_OPEN_TO_CLOSED) {
                // Not on the thread that closed the circuit: a request's, or the pool's.
                resumer.execute(this::resume);
            }
        });
    }

    private void resume() {
        try {
            processors.retryNow();
        } catch (RuntimeException failed) {
            log.warn("event processors keep Axon's back-off after the database outage: {}", failed.toString());
        }
    }

    @Override
    public void destroy() {
        resumer.shutdownNow();
    }
}
