package dev.aiagg.axon.commandbus;

import java.time.Duration;

/**
 * No result came within the send timeout. The command stays queued and may still be committed after this was
 * thrown, so a caller that retries must send it with the same identifiers, which makes the retry a no-op when the
 * first attempt did commit. Callers answer 503 with {@code Retry-After}.
 */
public final class CommandTimeoutException extends RuntimeException {

    CommandTimeoutException(String commandName, Duration timeout) {
        super("no result for " + commandName + " within " + timeout.toMillis() + " ms; it may still take effect");
    }
}
