package dev.aiagg.proxy.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aiagg.proxy.Dialect;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * OpenAI and OpenRouter: chat completions and embeddings under one base URL with a Bearer key. Streams always ask
 * for usage.
 */
public final class OpenAiCompatibleProvider implements Provider {

    private final String name;
    private final String baseUrl;
    private final String apiKey;
    private final Map<String, String> extraHeaders;
    private final boolean maxCompletionTokens;
    private final HttpTransport transport;

    /**
     * @param maxCompletionTokens send the completion cap as {@code max_completion_tokens} instead of the deprecated
     *                            {@code max_tokens} (OpenAI's o-series refuses the old name; OpenRouter documents
     *                            the old one)
     */
    public OpenAiCompatibleProvider(String name, String baseUrl, String apiKey, Map<String, String> extraHeaders,
                                    boolean maxCompletionTokens, HttpTransport transport) {
        this.name = name;
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.apiKey = apiKey;
        this.extraHeaders = Map.copyOf(extraHeaders);
        this.maxCompletionTokens = maxCompletionTokens;
        this.transport = transport;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Dialect dialect() {
        return Dialect.OPENAI;
    }

    @Override
    public boolean configured() {
        return apiKey != null && !apiKey.isBlank();
    }

    @Override
    public CompletableFuture<UpstreamReply> chat(ObjectNode body, boolean stream) {
        if (!configured()) {
            return CompletableFuture.failedFuture(UpstreamFailure.notConfigured(name));
        }
        ObjectNode request = body.deepCopy();
        request.put("stream", stream);
        if (stream) {
            ObjectNode options = request.path("stream_options") instanceof ObjectNode existing
                    ? existing : request.putObject("stream_options");
            options.put("include_usage", true);
        } else {
            request.remove("stream_options");
        }
        // One cap, in the field this provider reads: max_completion_tokens wins when a client sent both.
        JsonNode cap = request.hasNonNull("max_completion_tokens") ? request.remove("max_completion_tokens")
                : request.remove("max_tokens");
        request.remove(List.of("max_tokens", "max_completion_tokens"));
        if (cap != null && !cap.isNull()) {
            request.set(maxCompletionTokens ? "max_completion_tokens" : "max_tokens", cap);
        }
        return transport.post(name, URI.create(baseUrl + "/chat/completions"), headers(stream), request);
    }

    @Override
    public CompletableFuture<UpstreamReply> embeddings(ObjectNode body) {
        if (!configured()) {
            return CompletableFuture.failedFuture(UpstreamFailure.notConfigured(name));
        }
        return transport.post(name, URI.create(baseUrl + "/embeddings"), headers(false), body);
    }

    private Map<String, String> headers(boolean stream) {
        Map<String, String> headers = new LinkedHashMap<>(extraHeaders);
        headers.put("Authorization", "Bearer " + apiKey);
        headers.put("Accept", stream ? "text/event-stream" : "application/json");
        return headers;
    }
}
