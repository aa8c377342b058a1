package dev.aiagg.proxy.provider;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aiagg.proxy.Dialect;
import dev.aiagg.proxy.ProviderException;
import dev.aiagg.proxy.provider.UpstreamFailure.Cause;
import dev.aiagg.proxy.provider.UpstreamFailure.Next;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Anthropic messages with {@code x-api-key}. The version stays at 2023-06-01: later versions refuse sampling
 * parameters that OpenAI clients send routinely.
 */
public final class AnthropicProvider implements Provider {

    static final String VERSION = "2023-06-01";

    private final String baseUrl;
    private final String apiKey;
    private final HttpTransport transport;

    public AnthropicProvider(String baseUrl, String apiKey, HttpTransport transport) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.apiKey = apiKey;
        this.transport = transport;
    }

    @Override
    public String name() {
        return "anthropic";
    }

    @Override
    public Dialect dialect() {
        return Dialect.ANTHROPIC;
    }

    @Override
    public boolean configured() {
        return apiKey != null && !apiKey.isBlank();
    }

    @Override
    public CompletableFuture<UpstreamReply> chat(ObjectNode body, boolean stream) {
        if (!configured()) {
            return CompletableFuture.failedFuture(UpstreamFailure.notConfigured(name()));
        }
        ObjectNode request = body.deepCopy();
        request.put("stream", stream);
        Map<String, String> headers = Map.of(
                "x-api-key", apiKey,
                "anthropic-version", VERSION,
                "Accept", stream ? "text/event-stream" : "application/json");
        return transport.post(name(), URI.create(baseUrl + "/v1/messages"), headers, request);
    }

    @Override
    public CompletableFuture<UpstreamReply> embeddings(ObjectNode body) {
        return CompletableFuture.failedFuture(new UpstreamFailure(new ProviderException(400,
                "invalid_request_error", "provider anthropic serves no embeddings", null),
                Next.NEXT_DEPLOYMENT, Cause.REFUSED));
    }
}
