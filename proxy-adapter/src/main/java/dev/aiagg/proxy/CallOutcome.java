package dev.aiagg.proxy;

import java.time.Duration;

/**
 * How a call ended, for the charge and the usage record.
 *
 * @param deployment   the deployment that answered (or last failed), null when none was tried
 * @param usage        tokens used, reported or estimated; {@link Usage#NONE} when nothing was generated
 * @param status       {@link Status}
 * @param error        the failure, when status is not COMPLETED
 * @param latency      from the call to the last byte
 * @param attempts     upstream attempts made (retries and fallbacks included)
 * @param upstreamId   the provider's id of the response, when known
 */
public record CallOutcome(Deployment deployment, Usage usage, Status status, ProviderException error,
                          Duration latency, int attempts, String upstreamId) {

    public enum Status {
        /** The provider finished the answer. */
        COMPLETED,
        /** The client went away mid-stream; usage covers what was generated. */
        CLIENT_GONE,
        /** The provider failed after the first byte reached the client; usage covers what was generated. */
        FAILED_MID_STREAM,
        /** No byte reached the client: every attempt failed. */
        FAILED
    }
}
