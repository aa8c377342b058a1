package dev.aiagg.proxy.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aiagg.proxy.Deployment;
import dev.aiagg.proxy.Dialect;
import dev.aiagg.proxy.TokenCounter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An in-process provider that speaks OpenAI's dialect, so a fresh installation answers without any provider key.
 * Its answer says plainly that it comes from the demo provider and echoes the last user message; the same request
 * gives the same text. Usage is exact: it counts what it generated.
 */
public final class DemoProvider implements Provider {

    private static final int WORDS_PER_CHUNK = 3;
    private static final int EMBEDDING_DIMENSIONS = 8;
    private static final int ECHO_LIMIT = 200;

    private final boolean enabled;
    private final Duration chunkDelay;
    private final Executor streams;
    private final TokenCounter tokens;
    private final ObjectMapper json;

    /** @param streams runs each stream's pacing loop (one task per stream, which waits between chunks) */
    public DemoProvider(boolean enabled, Duration chunkDelay, Executor streams, TokenCounter tokens,
                        ObjectMapper json) {
        this.enabled = enabled;
        this.chunkDelay = chunkDelay;
        this.streams = streams;
        this.tokens = tokens;
        this.json = json;
    }

    @Override
    public String name() {
        return "demo";
    }

    @Override
    public Dialect dialect() {
        return Dialect.OPENAI;
    }

    @Override
    public boolean configured() {
        return enabled;
    }

    @Override
    public CompletableFuture<UpstreamReply> chat(ObjectNode body, boolean stream) {
        if (!enabled) {
            return CompletableFuture.failedFuture(UpstreamFailure.notConfigured(name()));
        }
        String model = body.path("model").asText("demo");
        Deployment self = new Deployment(name(), model, 0, 1);
        String text = answer(body);
        String id = "chatcmpl-demo-" + HexFormat.of().formatHex(digest(model + "\n" + text), 0, 12);
        long created = System.currentTimeMillis() / 1000;
        ObjectNode usage = json.createObjectNode()
                .put("prompt_tokens", tokens.promptTokens(List.of(self), Dialect.OPENAI, body))
                .put("completion_tokens", tokens.textTokens(self, text));
        usage.put("total_tokens", usage.get("prompt_tokens").asLong() + usage.get("completion_tokens").asLong());
        ObjectNode completion = json.createObjectNode().put("id", id).put("object", "chat.completion")
                .put("created", created).put("model", model);
        ObjectNode choice = completion.putArray("choices").addObject().put("index", 0);
        choice.putObject("message").put("role", "assistant").put("content", text).putNull("refusal");
        choice.putNull("logprobs");
        choice.put("finish_reason", "stop");
        completion.set("usage", usage);
        return CompletableFuture.completedFuture(new DemoReply(completion,
                stream ? chunks(id, created, model, text, usage) : List.of()));
    }

    @Override
    public CompletableFuture<UpstreamReply> embeddings(ObjectNode body) {
        if (!enabled) {
            return CompletableFuture.failedFuture(UpstreamFailure.notConfigured(name()));
        }
        String model = body.path("model").asText("demo");
        List<String> inputs = new ArrayList<>();
        JsonNode input = body.path("input");
        if (input.isArray()) {
            input.forEach(item -> inputs.add(item.isTextual() ? item.asText() : item.toString()));
        } else {
            inputs.add(input.asText());
        }
        ObjectNode answer = json.createObjectNode().put("object", "list");
        ArrayNode data = answer.putArray("data");
        for (int i = 0; i < inputs.size(); i++) {
            ObjectNode item = data.addObject().put("object", "embedding").put("index", i);
            ArrayNode vector = item.putArray("embedding");
            for (float value : vector(inputs.get(i))) {
                vector.add(value);
            }
        }
        long promptTokens = tokens.inputTokens(List.of(new Deployment(name(), model, 0, 1)), input);
        answer.put("model", model);
        answer.putObject("usage").put("prompt_tokens", promptTokens).put("total_tokens", promptTokens);
        return CompletableFuture.completedFuture(new DemoReply(answer, List.of()));
    }

    private String answer(ObjectNode body) {
        String last = "";
        for (JsonNode message : body.path("messages")) {
            if (message.path("role").asText().equals("user")) {
                last = plainText(message.get("content"));
            }
        }
        String echo = last.length() > ECHO_LIMIT ? last.substring(0, ECHO_LIMIT) + "..." : last;
        return "[demo] This answer comes from the demo provider, not from a language model. "
                + "Configure a provider key to get real answers. You wrote: \"" + echo.strip() + "\"";
    }

    private static String plainText(JsonNode content) {
        if (content == null || content.isTextual()) {
            return content == null ? "" : content.asText();
        }
        StringBuilder out = new StringBuilder();
        content.forEach(part -> out.append(part.path("text").asText("")));
        return out.toString();
    }

    private List<String> chunks(String id, long created, String model, String text, ObjectNode usage) {
        List<String> lines = new ArrayList<>();
        lines.add(chunk(id, created, model, json.createObjectNode().put("role", "assistant").put("content", ""), null));
        String[] words = text.split("(?<= )");
        for (int i = 0; i < words.length; i += WORDS_PER_CHUNK) {
            String piece = String.join("", List.of(words).subList(i, Math.min(words.length, i + WORDS_PER_CHUNK)));
            lines.add(chunk(id, created, model, json.createObjectNode().put("content", piece), null));
        }
        lines.add(chunk(id, created, model, json.createObjectNode(), "stop"));
        ObjectNode usageChunk = json.createObjectNode().put("id", id).put("object", "chat.completion.chunk")
                .put("created", created).put("model", model);
        usageChunk.putArray("choices");
        usageChunk.set("usage", usage);
        lines.add(usageChunk.toString());
        lines.add("[DONE]");
        return lines;
    }

    private String chunk(String id, long created, String model, ObjectNode delta, String finishReason) {
        ObjectNode chunk = json.createObjectNode().put("id", id).put("object", "chat.completion.chunk")
                .put("created", created).put("model", model);
        ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
        choice.set("delta", delta);
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason);
        chunk.putNull("usage");
        return chunk.toString();
    }

    /** A unit vector from the input's SHA-256: equal inputs, equal vectors. */
    private static float[] vector(String input) {
        ByteBuffer hash = ByteBuffer.wrap(digest(input));
        float[] vector = new float[EMBEDDING_DIMENSIONS];
        double norm = 0;
        for (int i = 0; i < vector.length; i++) {
            vector[i] = hash.getInt() / (float) Integer.MAX_VALUE;
            norm += vector[i] * vector[i];
        }
        for (int i = 0; i < vector.length; i++) {
            vector[i] = (float) (vector[i] / Math.sqrt(norm));
        }
        return vector;
    }

    private static byte[] digest(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private final class DemoReply implements UpstreamReply {

        private final ObjectNode whole;
        private final List<String> events;
        private final AtomicBoolean cancelled = new AtomicBoolean();

        DemoReply(ObjectNode whole, List<String> events) {
            this.whole = whole;
            this.events = events;
        }

        @Override
        public CompletableFuture<ObjectNode> json() {
            return CompletableFuture.completedFuture(whole);
        }

        @Override
        public void lines(LineListener listener) {
            streams.execute(() -> {
                for (String event : events) {
                    if (cancelled.get()) {
                        return;
                    }
                    listener.onLine("data: " + event);
                    listener.onLine("");
                    try {
                        TimeUnit.NANOSECONDS.sleep(chunkDelay.toNanos());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        listener.onError(e);
                        return;
                    }
                }
                if (!cancelled.get()) {
                    listener.onComplete();
                }
            });
        }

        @Override
        public void cancel() {
            cancelled.set(true);
        }
    }
}
