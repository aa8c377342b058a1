package dev.aiagg.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A provider for the gateway's integration tests, speaking OpenAI's and Anthropic's wire formats on one port. What
 * it does depends on the upstream model asked for, so every test picks its behaviour through the catalogue:
 * {@code fake-chat} answers "Hello from the fake provider." with usage 21 prompt / 7 completion tokens;
 * {@code fake-slow} streams 200 chunks 20 ms apart; {@code fake-long} 400 chunks 50 ms apart (20 s);
 * {@code fake-cut} streams three chunks and drops the connection;
 * {@code fake-down} always answers 500; {@code fake-embed} returns two-dimensional embeddings;
 * {@code fake-cache-write} (Anthropic) reports {@value #CACHE_WRITE_TOKENS} tokens written to and
 * {@value #CACHE_READ_TOKENS} read from its prompt cache besides its usual usage. Any other model answers as
 * {@code fake-chat}. It keeps the last request body it received for each model, and {@link #requestsFor} tells how
 * many requests named it.
 */
public final class FakeUpstream {

    public static final long PROMPT_TOKENS = 21;
    public static final long COMPLETION_TOKENS = 7;
    public static final String ANSWER = "Hello from the fake provider.";
    public static final long CACHE_WRITE_TOKENS = 1_000;
    public static final long CACHE_READ_TOKENS = 200;

    private static final Pattern MODEL = Pattern.compile("\"model\"\\s*:\\s*\"([^\"]+)\"");
    private static final Map<String, AtomicInteger> REQUESTS = new ConcurrentHashMap<>();
    private static final FakeUpstream INSTANCE = new FakeUpstream();

    private final HttpServer server;
    private final Map<String, String> lastRequests = new ConcurrentHashMap<>();

    private FakeUpstream() {
        try {
            // Without TCP_NODELAY a request sent as headers then body waits out the peer's delayed ACK (40 ms).
            System.setProperty("sun.net.httpserver.nodelay", "true");
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread thread = new Thread(r, "fake-upstream");
            thread.setDaemon(true);
            return thread;
        }));
        server.createContext("/v1/chat/completions", this::openAiChat);
        server.createContext("/v1/embeddings", this::openAiEmbeddings);
        server.createContext("/v1/messages", this::anthropicMessages);
        server.start();
    }

    public static String baseUrl() {
        return "http://127.0.0.1:" + INSTANCE.server.getAddress().getPort();
    }

    /** The body of the last request for this upstream model, or null. */
    public static String lastRequest(String model) {
        return INSTANCE.lastRequests.get(model);
    }

    private void openAiChat(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String model = model(body);
        keep(model, body);
        if (model.equals("fake-down")) {
            json(exchange, 500, "{\"error\":{\"message\":\"The server had an error\",\"type\":\"server_error\","
                    + "\"param\":null,\"code\":null}}");
            return;
        }
        if (!body.contains("\"stream\":true")) {
            json(exchange, 200, """
                    {"id":"chatcmpl-fake","object":"chat.completion","created":1764000000,"model":"%s",
                     "choices":[{"index":0,"message":{"role":"assistant","content":"%s","refusal":null},
                                 "logprobs":null,"finish_reason":"stop"}],
                     "usage":{"prompt_tokens":%d,"completion_tokens":%d,"total_tokens":%d,
                              "prompt_tokens_details":{"cached_tokens":0},
                              "completion_tokens_details":{"reasoning_tokens":0}}}"""
                    .formatted(model, ANSWER, PROMPT_TOKENS, COMPLETION_TOKENS, PROMPT_TOKENS + COMPLETION_TOKENS));
            return;
        }
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        try {
            String head = "{\"id\":\"chatcmpl-fake\",\"object\":\"chat.completion.chunk\",\"created\":1764000000,"
                    + "\"model\":\"" + model + "\",";
            send(out, head + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},"
                    + "\"finish_reason\":null}],\"usage\":null}");
            int chunks = switch (model) {
                case "fake-slow" -> 200;
                case "fake-long" -> 400;
                case "fake-cut" -> 3;
                default -> 7;
            };
            for (int i = 0; i < chunks; i++) {
                send(out, head + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"word" + i + " \"},"
                        + "\"finish_reason\":null}],\"usage\":null}");
                if (model.equals("fake-slow")) {
                    pause(20);
                } else if (model.equals("fake-long")) {
                    pause(50);
                }
            }
            if (model.equals("fake-cut")) {
                // Leaving the handler by an exception drops the connection without the stream's last chunk.
                throw new IOException("connection dropped on purpose");
            }
            send(out, head + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],\"usage\":null}");
            send(out, head + "\"choices\":[],\"usage\":{\"prompt_tokens\":" + PROMPT_TOKENS
                    + ",\"completion_tokens\":" + chunks + ",\"total_tokens\":" + (PROMPT_TOKENS + chunks) + "}}");
            out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
            out.close();
        } catch (IOException clientGoneOrCut) {
            if (model.equals("fake-cut")) {
                throw clientGoneOrCut;
            }
            exchange.close();
        }
    }

    private void openAiEmbeddings(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        json(exchange, 200, """
                {"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.25,-0.5]}],
                 "model":"%s","usage":{"prompt_tokens":5,"total_tokens":5}}""".formatted(model(body)));
    }

    private void anthropicMessages(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String model = model(body);
        keep(model, body);
        if (!body.contains("\"stream\":true")) {
            boolean caching = model.equals("fake-cache-write");
            json(exchange, 200, """
                    {"id":"msg_fake","type":"message","role":"assistant","model":"%s",
                     "content":[{"type":"text","text":"%s"}],"stop_reason":"end_turn","stop_sequence":null,
                     "usage":{"input_tokens":%d,"output_tokens":%d,"cache_creation_input_tokens":%d,
                              "cache_read_input_tokens":%d}}""".formatted(model, ANSWER, PROMPT_TOKENS,
                    COMPLETION_TOKENS, caching ? CACHE_WRITE_TOKENS : 0, caching ? CACHE_READ_TOKENS : 0));
            return;
        }
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            event(out, "message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_fake\",\"type\":"
                    + "\"message\",\"role\":\"assistant\",\"model\":\"" + model + "\",\"content\":[],\"stop_reason\":"
                    + "null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":" + PROMPT_TOKENS
                    + ",\"output_tokens\":1}}}");
            event(out, "content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":"
                    + "{\"type\":\"text\",\"text\":\"\"}}");
            event(out, "ping", "{\"type\":\"ping\"}");
            event(out, "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
                    + "{\"type\":\"text_delta\",\"text\":\"" + ANSWER + "\"}}");
            event(out, "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}");
            event(out, "message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\","
                    + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":" + COMPLETION_TOKENS + "}}");
            event(out, "message_stop", "{\"type\":\"message_stop\"}");
        }
    }

    /** Kept when small: the tests that send megabytes look at what was charged, not at what arrived. */
    private void keep(String model, String body) {
        if (body.length() <= 1_000_000) {
            lastRequests.put(model, body);
        }
    }

    /** How many requests for this upstream model have reached the provider. */
    public static int requestsFor(String upstreamModel) {
        AtomicInteger count = REQUESTS.get(upstreamModel);
        return count == null ? 0 : count.get();
    }

    private static String model(String body) {
        Matcher matcher = MODEL.matcher(body);
        String model = matcher.find() ? matcher.group(1) : "";
        REQUESTS.computeIfAbsent(model, m -> new AtomicInteger()).incrementAndGet();
        return model;
    }

    private static void json(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void send(OutputStream out, String data) throws IOException {
        out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static void event(OutputStream out, String type, String data) throws IOException {
        out.write(("event: " + type + "\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
