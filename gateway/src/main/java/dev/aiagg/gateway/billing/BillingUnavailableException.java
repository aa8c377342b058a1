package dev.aiagg.gateway.billing;

import java.time.Duration;

/** This node admits no new call for now: it is shutting down, or the ledger cannot be reached or keep up. */
public class BillingUnavailableException extends RuntimeException {

    private final Duration retryAfter;

    BillingUnavailableException(String message, Duration retryAfter) {
        super(message);
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
