package dev.aiagg.proxy.provider;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.CompletableFuture;

/** An answer whose status was a success and whose body is still to be read, whole or line by line. */
public interface UpstreamReply {

    /** The whole body as JSON. */
    CompletableFuture<ObjectNode> json();

    /** Hands the body on line by line; the next line is read only after the listener returned. */
    void lines(LineListener listener);

    /** Stops reading and releases the connection; no listener call follows. */
    void cancel();

    /** Receives a streamed body. Calls never overlap. */
    interface LineListener {

        void onLine(String line);

        void onComplete();

        void onError(Throwable error);
    }
}
