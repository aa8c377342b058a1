package dev.aiagg.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A provider on a loopback port that answers from a script, one scripted answer per request, and records what it
 * was sent. Streams are written frame by frame with a flush after each, as real providers do.
 */
final class FakeUpstream implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    static {
        // Without it the JDK server's separate header and body writes meet delayed ACKs: 40 ms per answer.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final ConcurrentLinkedDeque<Answer> script = new ConcurrentLinkedDeque<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    /** Counted down when writing a stream failed because the proxy closed the connection. */
    final CountDownLatch cutByClient = new CountDownLatch(1);

    record Received(String path, Headers headers, JsonNode body, long atNanos) {
    }

    interface Answer {
        void write(HttpExchange exchange) throws IOException, InterruptedException;
    }

    FakeUpstream() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    String baseUrl(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    FakeUpstream then(Answer answer) {
        script.add(answer);
        return this;
    }

    List<Received> received() {
        return received;
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        received.add(new Received(exchange.getRequestURI().getPath(), exchange.getRequestHeaders(),
                body.length == 0 ? null : JSON.readTree(body), System.nanoTime()));
        Answer answer = script.poll();
        try {
            if (answer == null) {
                json(500, "{\"error\":{\"message\":\"unscripted request\",\"type\":\"server_error\"}}")
                        .write(exchange);
            } else {
                answer.write(exchange);
            }
        } catch (IOException e) {
            cutByClient.countDown();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            exchange.close();
        }
    }

    static Answer json(int status, String body, String... headers) {
        return exchange -> {
            for (int i = 0; i < headers.length; i += 2) {
                exchange.getResponseHeaders().add(headers[i], headers[i + 1]);
            }
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        };
    }

    /** A 200 event stream; each frame is written whole and flushed, {@code pause} apart. */
    static Answer sse(Duration pause, String... frames) {
        return exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            for (String frame : frames) {
                out.write(frame.getBytes(StandardCharsets.UTF_8));
                out.flush();
                Thread.sleep(pause.toMillis());
            }
        };
    }

    static Answer sse(String... frames) {
        return sse(Duration.ZERO, frames);
    }

    /** Answers only after {@code delay}: slower than the time limit in tests. */
    static Answer late(Duration delay, Answer answer) {
        return exchange -> {
            Thread.sleep(delay.toMillis());
            answer.write(exchange);
        };
    }

    /** {@code data: <json>} framing. */
    static String data(String json) {
        return "data: " + json + "\n\n";
    }

    /** {@code event: <type>} plus data framing, as Anthropic sends. */
    static String event(String type, String json) {
        return "event: " + type + "\ndata: " + json + "\n\n";
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
