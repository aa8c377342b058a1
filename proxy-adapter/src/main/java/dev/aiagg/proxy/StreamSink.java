package dev.aiagg.proxy;

/**
 * Where a streamed answer goes, already in the client's dialect. Implemented by the gateway over the HTTP response.
 * Called from the proxy's threads, one call at a time per stream.
 */
public interface StreamSink {

    /**
     * One complete server-sent event, framing included ({@code data: {...}\n\n}, or {@code event: x\ndata: {...}\n\n}).
     * The first call means the client has been committed to this deployment: no retry or fallback after it.
     *
     * @return false when the client has gone away; the proxy then cancels the upstream call and finishes the outcome
     * with what was generated so far
     */
    boolean send(String event);
}
