package dev.aiagg.axon.querybus;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.axonframework.messaging.responsetypes.ResponseType;
import org.axonframework.queryhandling.DefaultQueryGateway;
import org.axonframework.queryhandling.QueryBus;

/**
 * Axon's query gateway, except that the future of a query fails with a {@link java.util.concurrent.TimeoutException}
 * once the timeout has passed, so that {@code query(...).join()} never waits for ever. Axon's simple query bus runs a
 * handler on the caller's thread and hands back a completed future, which costs nothing here; the bound is for
 * handlers that answer later (a future of their own, another node).
 */
final class BoundedQueryGateway extends DefaultQueryGateway {

    private final long timeoutNanos;

    BoundedQueryGateway(QueryBus queryBus, Duration timeout) {
        super(DefaultQueryGateway.builder().queryBus(queryBus));
        this.timeoutNanos = timeout.toNanos();
    }

    @Override
    public <R, Q> CompletableFuture<R> query(String queryName, Q query,
                                             ResponseType<R> responseType) {
        return super.query(queryName, query, responseType).orTimeout(timeoutNanos, TimeUnit.NANOSECONDS);
    }
}
