package dev.aiagg.proxy.provider;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aiagg.proxy.Dialect;
import java.util.concurrent.CompletableFuture;

/**
 * One upstream, spoken to in its own dialect. The futures complete once the answer has begun (status and headers
 * in), or fail with {@link UpstreamFailure}.
 */
public interface Provider {

    /** {@code openai}, {@code anthropic}, {@code openrouter} or {@code demo}, as deployments name it. */
    String name();

    Dialect dialect();

    /** False when it has no credentials: its deployments are skipped. */
    boolean configured();

    /** A chat request already in {@link #dialect()}, model set; the provider adds what it always needs. */
    CompletableFuture<UpstreamReply> chat(ObjectNode body, boolean stream);

    /** An OpenAI embeddings request, model set, {@code encoding_format} float. */
    CompletableFuture<UpstreamReply> embeddings(ObjectNode body);
}
