package dev.aiagg.proxy.provider;

import dev.aiagg.proxy.ProviderException;
import java.time.Duration;

/**
 * A failed attempt at one deployment, with what to do next and what the client would be told.
 */
public final class UpstreamFailure extends RuntimeException {

    /** What the router does after this failure. */
    public enum Next {
        /** Try the same deployment again after a pause, then the next one. */
        RETRY,
        /** The deployment cannot serve this request; the next one might. */
        NEXT_DEPLOYMENT,
        /** The request itself was refused: every deployment would refuse it too. */
        STOP
    }

    /** Why it failed, to pick the status of the final answer when every deployment failed. */
    public enum Cause {
        OVERLOADED, TIMEOUT, BROKEN, REFUSED
    }

    private final transient ProviderException error;
    private final Next next;
    private final Cause cause;

    public UpstreamFailure(ProviderException error, Next next, Cause cause) {
        super(error.getMessage(), null, false, false);
        this.error = error;
        this.next = next;
        this.cause = cause;
    }

    public ProviderException error() {
        return error;
    }

    public Next next() {
        return next;
    }

    public Cause cause() {
        return cause;
    }

    public Duration retryAfter() {
        return error.retryAfter();
    }

    public static UpstreamFailure notConfigured(String provider) {
        return new UpstreamFailure(new ProviderException(503, "server_error",
                "provider " + provider + " is not configured", null), Next.NEXT_DEPLOYMENT, Cause.OVERLOADED);
    }

    public static UpstreamFailure timeout(String what) {
        return new UpstreamFailure(new ProviderException(504, "server_error", what, null), Next.RETRY, Cause.TIMEOUT);
    }

    public static UpstreamFailure broken(String what) {
        return new UpstreamFailure(new ProviderException(502, "server_error", what, null), Next.RETRY, Cause.BROKEN);
    }
}
