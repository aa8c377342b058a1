package dev.aiagg.proxy.provider;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscribers;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The one HTTP client every provider shares (pooled connections, HTTP/1.1). A request's future completes when the
 * status and headers are in; an error status is read whole and classified.
 */
public final class HttpTransport {

    private static final int MAX_ERROR_BODY = 64 * 1024;

    private final HttpClient client;
    private final ObjectMapper json;
    private final Duration headersTimeout;

    public HttpTransport(Duration connectTimeout, Duration headersTimeout, ObjectMapper json) {
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .build();
        this.json = json;
        this.headersTimeout = headersTimeout;
    }

    public CompletableFuture<UpstreamReply> post(String provider, URI uri, Map<String, String> headers, ObjectNode body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(headersTimeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes(body)));
        headers.forEach(request::header);
        return client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofPublisher())
                .exceptionallyCompose(thrown -> CompletableFuture.failedFuture(Failures.fromThrowable(provider, thrown)))
                .thenCompose(response -> {
                    if (response.statusCode() / 100 == 2) {
                        return CompletableFuture.completedFuture(new Reply(provider, response.body()));
                    }
                    return readText(response.body()).<UpstreamReply>handle((text, thrown) -> {
                        throw Failures.fromStatus(provider, response.statusCode(), parseQuietly(text),
                                Failures.retryAfter(response.headers()));
                    });
                });
    }

    private byte[] bytes(ObjectNode body) {
        try {
            return json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("request body cannot be written", e);
        }
    }

    private static CompletableFuture<String> readText(Flow.Publisher<List<ByteBuffer>> body) {
        HttpResponse.BodySubscriber<String> text = BodySubscribers.ofString(StandardCharsets.UTF_8);
        body.subscribe(text);
        return text.getBody().toCompletableFuture();
    }

    private JsonNode parseQuietly(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return json.readTree(text.length() > MAX_ERROR_BODY ? text.substring(0, MAX_ERROR_BODY) : text);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private final class Reply implements UpstreamReply {

        private final String provider;
        private final Flow.Publisher<List<ByteBuffer>> body;
        private final AtomicBoolean cancelled = new AtomicBoolean();
        private final AtomicBoolean read = new AtomicBoolean();
        private final AtomicReference<Flow.Subscription> subscription = new AtomicReference<>();

        Reply(String provider, Flow.Publisher<List<ByteBuffer>> body) {
            this.provider = provider;
            this.body = body;
        }

        @Override
        public CompletableFuture<ObjectNode> json() {
            read.set(true);
            return readText(body).thenApply(text -> {
                JsonNode node = parseQuietly(text);
                if (node instanceof ObjectNode object) {
                    return object;
                }
                throw UpstreamFailure.broken("provider " + provider + " answered with a body that is not JSON");
            });
        }

        @Override
        public void lines(LineListener listener) {
            read.set(true);
            body.subscribe(BodySubscribers.fromLineSubscriber(new Flow.Subscriber<String>() {
                @Override
                public void onSubscribe(Flow.Subscription s) {
                    subscription.set(s);
                    if (cancelled.get()) {
                        s.cancel();
                    } else {
                        s.request(1);
                    }
                }

                @Override
                public void onNext(String line) {
                    if (cancelled.get()) {
                        return;
                    }
                    try {
                        listener.onLine(line);
                    } catch (RuntimeException e) {
                        cancel();
                        listener.onError(e);
                        return;
                    }
                    if (!cancelled.get()) {
                        subscription.get().request(1);
                    }
                }

                @Override
                public void onError(Throwable error) {
                    if (!cancelled.get()) {
                        listener.onError(error);
                    }
                }

                @Override
                public void onComplete() {
                    if (!cancelled.get()) {
                        listener.onComplete();
                    }
                }
            }));
        }

        @Override
        public void cancel() {
            if (cancelled.compareAndSet(false, true)) {
                Flow.Subscription s = subscription.get();
                if (s != null) {
                    s.cancel();
                } else if (!read.get()) {
                    // Nobody read the body yet: subscribing and cancelling at once releases the connection.
                    body.subscribe(new Flow.Subscriber<>() {
                        @Override
                        public void onSubscribe(Flow.Subscription s) {
                            s.cancel();
                        }

                        @Override
                        public void onNext(List<ByteBuffer> item) {
                        }

                        @Override
                        public void onError(Throwable throwable) {
                        }

                        @Override
                        public void onComplete() {
                        }
                    });
                }
            }
        }
    }
}
