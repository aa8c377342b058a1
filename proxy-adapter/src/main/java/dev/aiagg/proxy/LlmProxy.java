package dev.aiagg.proxy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.CompletableFuture;

/**
 * Calls providers for the gateway: picks a deployment of the route, translates the client's request into the
 * provider's dialect and the answer back, retries and falls back before the first byte reaches the client, and
 * always ends with a {@link CallOutcome} that says what was generated. The futures never complete exceptionally:
 * failures are in the outcome.
 */
public interface LlmProxy {

    /**
     * A non-streaming chat: {@code request} is the client's body in {@code clientDialect} (its {@code model} is the
     * public model id and is replaced by each deployment's upstream model); the answer body is in the same dialect,
     * with {@code model} set back to the public id. The body is null when the outcome is FAILED.
     */
    CompletableFuture<ProxyResponse> complete(Route route, Dialect clientDialect, ObjectNode request);

    /**
     * A streaming chat: events in the client's dialect go to the sink as they arrive (never buffered whole); usage
     * is always asked of the provider. The future completes when the stream has ended, however it ended. When it
     * ends FAILED, nothing was sent to the sink and the gateway answers with an error.
     */
    CompletableFuture<CallOutcome> stream(Route route, Dialect clientDialect, ObjectNode request, StreamSink sink);

    /**
     * OpenAI embeddings; the answer honours {@code encoding_format} ({@code float} or {@code base64}, little-endian
     * float32) whatever the provider returned.
     */
    CompletableFuture<ProxyResponse> embed(Route route, ObjectNode request);

    /**
     * Ends every call in flight now (the server is shutting down): a stream that has begun ends with an error event
     * in its client's dialect and the outcome FAILED_MID_STREAM, its usage covering what was generated; any other call
     * ends FAILED with {@code error}.
     */
    void endCalls(ProviderException error);

    /** The answer of a non-streaming call; {@code body} is null when the outcome is FAILED. */
    record ProxyResponse(ObjectNode body, CallOutcome outcome) {
    }
}
