package dev.aiagg.gateway.web;

import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;

/**
 * The memory all request bodies being received or handled may hold at once ({@code aiagg.http.max-buffered}).
 * Bodies are read without a thread ({@link RequestBodyFilter}), so the number of request threads no longer bounds
 * how many are buffered.
 */
@Component
class BodyBudget {

    private final long capacity;
    private final AtomicLong taken = new AtomicLong();

    BodyBudget(RequestBodyProperties properties) {
        this.capacity = properties.maxBufferedBytes();
    }

    boolean take(long bytes) {
        long now;
        do {
            now = taken.get();
            if (now + bytes > capacity) {
                return false;
            }
        } while (!taken.compareAndSet(now, now + bytes));
        return true;
    }

    void giveBack(long bytes) {
        taken.addAndGet(-bytes);
    }

    long free() {
        return capacity - taken.get();
    }
}
