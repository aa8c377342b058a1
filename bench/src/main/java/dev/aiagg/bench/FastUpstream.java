package dev.aiagg.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * An OpenAI-compatible provider that answers at once with fixed bodies: a chat completion, or a stream of five
 * content chunks, a finish chunk, a usage chunk and {@code [DONE]}. Its own latency is the floor the gateway's added
 * latency is measured against.
 */
final class FastUpstream implements AutoCloseable {

    static final long PROMPT_TOKENS = 12;
    static final long COMPLETION_TOKENS = 5;

    private static final byte[] COMPLETION = """
            {"id":"chatcmpl-bench","object":"chat.completion","created":1764000000,"model":"bench-upstream",\
            "choices":[{"index":0,"message":{"role":"assistant","content":"one two three four five","refusal":null},\
            "logprobs":null,"finish_reason":"stop"}],\
            "usage":{"prompt_tokens":12,"completion_tokens":5,"total_tokens":17}}""".getBytes(StandardCharsets.UTF_8);
    private static final byte[] STREAM = stream();

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(16);
    private final Consumer<byte[]> onRequest;

    FastUpstream() throws IOException {
        this(request -> { });
    }

    /** @param onRequest told of every request body, before it is answered */
    FastUpstream(Consumer<byte[]> onRequest) throws IOException {
        this.onRequest = onRequest;
        // Without TCP_NODELAY a request sent as headers then body waits out the peer's delayed ACK (40 ms).
        System.setProperty("sun.net.httpserver.nodelay", "true");
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
        server.setExecutor(executor);
        server.createContext("/v1/chat/completions", this::chat);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    private void chat(HttpExchange exchange) throws IOException {
        byte[] request = exchange.getRequestBody().readAllBytes();
        onRequest.accept(request);
        boolean stream = new String(request, StandardCharsets.UTF_8).contains("\"stream\":true");
        exchange.getResponseHeaders().set("Content-Type", stream ? "text/event-stream" : "application/json");
        byte[] body = stream ? STREAM : COMPLETION;
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static byte[] stream() {
        StringBuilder events = new StringBuilder();
        String head = "{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1764000000,"
                + "\"model\":\"bench-upstream\",";
        events.append("data: ").append(head).append("\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\","
                + "\"content\":\"\"},\"finish_reason\":null}],\"usage\":null}\n\n");
        for (String word : new String[] {"one ", "two ", "three ", "four ", "five"}) {
            events.append("data: ").append(head).append("\"choices\":[{\"index\":0,\"delta\":{\"content\":\"")
                    .append(word).append("\"},\"finish_reason\":null}],\"usage\":null}\n\n");
        }
        events.append("data: ").append(head)
                .append("\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],\"usage\":null}\n\n");
        events.append("data: ").append(head).append("\"choices\":[],\"usage\":{\"prompt_tokens\":12,"
                + "\"completion_tokens\":5,\"total_tokens\":17}}\n\n");
        events.append("data: [DONE]\n\n");
        return events.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
