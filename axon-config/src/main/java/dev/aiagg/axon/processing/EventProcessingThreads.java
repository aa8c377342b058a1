package dev.aiagg.axon.processing;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.axonframework.common.AxonThreadFactory;
import org.springframework.beans.factory.DisposableBean;

/**
 * The worker pool shared by all streaming processors. Not an executor bean, which would make Boot's own task
 * executor back off and offer itself to any component asking for an executor.
 */
class EventProcessingThreads implements DisposableBean {

    private final ScheduledExecutorService workers;

    EventProcessingThreads(int threads) {
        this.workers = Executors.newScheduledThreadPool(threads, new AxonThreadFactory("event-processing"));
    }

    ScheduledExecutorService workers() {
        return workers;
    }

    @Override
    public void destroy() {
        workers.shutdown();
    }
}
