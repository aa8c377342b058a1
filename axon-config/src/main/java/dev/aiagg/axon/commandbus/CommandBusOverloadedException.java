package dev.aiagg.axon.commandbus;

/**
 * A command refused at once because the queue of the worker that would handle it is full: it was never handled, so
 * sending it again later is safe. Callers answer 503 with {@code Retry-After}.
 */
public final class CommandBusOverloadedException extends RuntimeException {

    CommandBusOverloadedException(int maxQueued) {
        super("the command bus has " + maxQueued + " commands waiting for this worker; retry shortly");
    }
}
