package dev.aiagg.proxy;

import java.time.Duration;

/**
 * An upstream failure, already classified. The gateway turns it into an error in the client's dialect with
 * {@link #status()}: a provider's 400 stays a 400 (the client's request was wrong), a 401/403 from the provider (our
 * provider key is wrong) becomes 502, a timeout 504, an open circuit or every deployment overloaded 503.
 *
 * @param status     the HTTP status to give the client
 * @param type       OpenAI error type ({@code invalid_request_error}, {@code server_error}, ...)
 * @param retryAfter how long the provider asked us to wait, or null
 */
public class ProviderException extends RuntimeException {

    private final int status;
    private final String type;
    private final Duration retryAfter;

    public ProviderException(int status, String type, String message, Duration retryAfter) {
        super(message);
        this.status = status;
        this.type = type;
        this.retryAfter = retryAfter;
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
