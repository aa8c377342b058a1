package dev.aiagg.gateway.llm;

import dev.aiagg.proxy.StreamSink;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Writes a streamed answer to the client event by event. The status and headers go out with the first event, so
 * until then the call can still end in an error response; a failed write means the client has gone away.
 */
final class SseResponse implements StreamSink {

    private final AsyncContext async;
    private final HttpServletResponse response;
    private final Map<String, String> headers;
    private boolean started;
    private volatile boolean gone;

    SseResponse(AsyncContext async, HttpServletResponse response, Map<String, String> headers) {
        this.async = async;
        this.response = response;
        this.headers = headers;
    }

    @Override
    public boolean send(String event) {
        if (gone) {
            return false;
        }
        try {
            if (!started) {
                response.setStatus(200);
                response.setContentType("text/event-stream;charset=UTF-8");
                headers.forEach(response::setHeader);
                started = true;
            }
            response.getOutputStream().write(event.getBytes(StandardCharsets.UTF_8));
            response.getOutputStream().flush();
            return true;
        } catch (IOException | IllegalStateException e) {
            gone = true;
            return false;
        }
    }

    boolean started() {
        return started;
    }

    void clientGone() {
        gone = true;
    }

    void complete() {
        try {
            async.complete();
        } catch (IllegalStateException alreadyCompleted) {
            // The container completed it when the client went away.
        }
    }
}
