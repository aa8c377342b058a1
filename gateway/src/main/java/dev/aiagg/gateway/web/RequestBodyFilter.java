package dev.aiagg.gateway.web;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Reads every request body before anything else sees the request, so that no request thread ever waits on a client
 * that sends slowly, and no body passes its path's limit.
 * <ul>
 *   <li>A declared length over the limit is refused at once with 413, nothing read.</li>
 *   <li>A body the container already holds (a small JSON body usually comes in the same packets as the headers) is
 *       read at once and the request goes on in the same thread: the common case costs a copy, no thread hop.</li>
 *   <li>Otherwise the request goes async and the body is read with the servlet's non-blocking I/O as it arrives,
 *       holding no thread between reads; once it is complete the request is dispatched again and goes on with
 *       the body in memory. A chunked body is always read this way, counted against the limit as it comes (413).
 *       A body that takes longer than its deadline (see {@link RequestBodyProperties}) is refused with 408.</li>
 * </ul>
 * A refusal is written in the format of the API that owns the path ({@link BodyRefusals}; problem details
 * otherwise) and closes the connection without reading what is left, so neither a large nor a trickling body can
 * hold a thread afterwards (Tomcat would otherwise drain it with blocking reads).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 2) // after the correlation id and the server observation, which see refusals too
class RequestBodyFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(RequestBodyFilter.class);
    private static final String BODY = RequestBodyFilter.class.getName() + ".body";

    private final RequestBodyProperties properties;
    private final BodyBudget budget;
    private final List<BodyRefusals> refusals;
    private final ProblemResponses problems;

    RequestBodyFilter(RequestBodyProperties properties, BodyBudget budget, List<BodyRefusals> refusals,
                      ProblemResponses problems) {
        this.properties = properties;
        this.budget = budget;
        this.refusals = refusals;
        this.problems = problems;
    }

    /** The dispatch that follows a body read asynchronously is ours: it hands the body on. */
    @Override
    protected boolean shouldNotFilterAsyncDispatch() {
        return false;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (isAsyncDispatch(request)) {
            BufferedBody body = (BufferedBody) request.getAttribute(BODY);
            if (body == null) {
                chain.doFilter(request, response);
            } else {
                request.removeAttribute(BODY);
                handOn(body, request, response, chain);
            }
            return;
        }
        long declared = request.getContentLengthLong();
        boolean chunked = declared < 0 && request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null;
        if (declared <= 0 && !chunked) {
            chain.doFilter(request, response);
            return;
        }
        String path = pathOf(request);
        long limit = properties.maxBody().bytesFor(path);
        if (declared > limit) {
            refuse(request.startAsync(), request, response, path, BodyRefusal.TOO_LARGE, tooLarge(limit));
            return;
        }
        BufferedBody body = new BufferedBody(budget, declared, limit);
        ServletInputStream in = request.getInputStream();
        BufferedBody.Progress progress;
        try {
            // Chunk framing may straddle what is buffered, and a blocking read of it could wait: chunks go async.
            progress = chunked ? BufferedBody.Progress.MORE : body.read(in, false);
        } catch (IOException | RuntimeException failure) {
            body.release();
            throw failure;
        }
        switch (progress) {
            case COMPLETE -> handOn(body, request, response, chain);
            case MORE -> readAsynchronously(request, response, path, limit, chunked ? limit : declared, body, in);
            case TOO_LARGE -> {
                body.release();
                refuse(request.startAsync(), request, response, path, BodyRefusal.TOO_LARGE, tooLarge(limit));
            }
            case NO_ROOM -> {
                body.release();
                refuse(request.startAsync(), request, response, path, BodyRefusal.NO_ROOM, noRoom());
            }
        }
    }

    private static void handOn(BufferedBody body, HttpServletRequest request, HttpServletResponse response,
                               FilterChain chain) throws ServletException, IOException {
        try {
            chain.doFilter(new BufferedBodyRequest(request, body), response);
        } finally {
            body.release();
        }
    }

    private void readAsynchronously(HttpServletRequest request, HttpServletResponse response, String path,
                                    long limit, long expected, BufferedBody body, ServletInputStream in) {
        log.debug("request body on {} read as it arrives, {} bytes here", path, body.size());
        AsyncContext async = request.startAsync();
        long deadline = properties.readDeadlineMillis(expected);
        async.setTimeout(deadline);
        SlowBody reader = new SlowBody(request, response, path, limit, deadline, body, in, async);
        async.addListener(reader);
        in.setReadListener(reader);
    }

    /**
     * Writes the refusal and completes the request asynchronously: a response completed that way with
     * {@code Connection: close} ends the connection at once, where a synchronous one would first drain the unread
     * body with blocking reads.
     */
    private void refuse(AsyncContext async, HttpServletRequest request, HttpServletResponse response, String path,
                        BodyRefusal refusal, String message) throws IOException {
        log.debug("request body refused ({}) on {}: {}", refusal, path, message);
        try {
            response.setHeader(HttpHeaders.CONNECTION, "close");
            BodyRefusals writer = refusals.stream().filter(r -> r.covers(path)).findFirst().orElse(null);
            if (writer != null) {
                writer.write(request, response, refusal, message);
            } else {
                if (refusal == BodyRefusal.NO_ROOM) {
                    response.setHeader(HttpHeaders.RETRY_AFTER, "1");
                }
                problems.write(request, response,
                        Problems.of(HttpStatusCode.valueOf(refusal.status()), problemCode(refusal), message));
            }
        } finally {
            async.complete();
        }
    }

    private static String problemCode(BodyRefusal refusal) {
        return switch (refusal) {
            case TOO_LARGE -> "payload_too_large";
            case TOO_SLOW -> "request_timeout";
            case NO_ROOM -> "service_unavailable";
        };
    }

    private static String tooLarge(long limit) {
        return "The request body is larger than the " + limit + " bytes this endpoint accepts.";
    }

    private static String noRoom() {
        return "The server is receiving too many request bodies at once; retry shortly.";
    }

    private static String pathOf(HttpServletRequest request) {
        String pathInfo = request.getPathInfo();
        return pathInfo == null ? request.getServletPath() : request.getServletPath() + pathInfo;
    }

    /**
     * A body being read asynchronously. The container calls these one at a time for a request; {@code over} keeps a
     * late event from acting on a body already handed on or refused.
     */
    private final class SlowBody implements ReadListener, AsyncListener {

        private final HttpServletRequest request;
        private final HttpServletResponse response;
        private final String path;
        private final long limit;
        private final long deadline;
        private final BufferedBody body;
        private final ServletInputStream in;
        private final AsyncContext async;
        private boolean over;

        SlowBody(HttpServletRequest request, HttpServletResponse response, String path, long limit, long deadline,
                 BufferedBody body, ServletInputStream in, AsyncContext async) {
            this.request = request;
            this.response = response;
            this.path = path;
            this.limit = limit;
            this.deadline = deadline;
            this.body = body;
            this.in = in;
            this.async = async;
        }

        @Override
        public void onDataAvailable() throws IOException {
            if (over) {
                return;
            }
            switch (body.read(in, true)) {
                case TOO_LARGE -> end(BodyRefusal.TOO_LARGE, tooLarge(limit));
                case NO_ROOM -> end(BodyRefusal.NO_ROOM, noRoom());
                default -> {
                    // more to come, or complete: the container calls onAllDataRead next
                }
            }
        }

        @Override
        public void onAllDataRead() {
            if (over) {
                return;
            }
            over = true;
            request.setAttribute(BODY, body);
            async.dispatch();
        }

        /** The client went away or the connection failed; the container closes it. */
        @Override
        public void onError(Throwable failure) {
            log.debug("request body on {} not received: {}", path, failure.toString());
            if (!over) {
                over = true;
                body.release();
            }
        }

        @Override
        public void onTimeout(AsyncEvent event) throws IOException {
            if (!over) {
                end(BodyRefusal.TOO_SLOW, "The request body did not arrive within " + deadline + " ms.");
            }
        }

        @Override
        public void onError(AsyncEvent event) {
            onError(event.getThrowable());
        }

        @Override
        public void onComplete(AsyncEvent event) {
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
        }

        private void end(BodyRefusal refusal, String message) throws IOException {
            over = true;
            body.release();
            refuse(async, request, response, path, refusal, message);
        }
    }
}
