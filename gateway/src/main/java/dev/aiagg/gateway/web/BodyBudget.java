package dev.aiagg.gateway.web;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The memory all request bodies being received or handled may hold at once. Bodies are read without a thread
 * (see {@link RequestBodyFilter}), so the number of request threads no longer bounds how many are buffered.
 */
final class BodyBudget {

    private final long capacity;
    private final AtomicLong taken = new AtomicLong();

    BodyBudget(long capacity) {
        this.capacity = capacity;
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

    long taken() {
        return taken.get();
    }
}
