package dev.aiagg.proxy.translation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aiagg.proxy.Dialect;
import dev.aiagg.proxy.ProviderException;
import dev.aiagg.proxy.Usage;
import dev.aiagg.proxy.provider.UpstreamFailure;
import dev.aiagg.proxy.sse.SseEvent;
import java.util.List;

/**
 * Turns one provider stream into the client's stream, event by event, and keeps what the charge needs: the
 * provider's id, the usage it reported and the text generated. One per stream, not thread-safe.
 */
public final class StreamTranslator {

    private final StreamDecoder decoder;
    private final StreamEncoder encoder;
    private final StringBuilder generated = new StringBuilder();
    private String upstreamId;
    private Usage usage;
    private boolean usageComplete;
    private boolean finished;
    private boolean ended;
    private UpstreamFailure failure;

    /**
     * @param includeUsage   the client asked for the usage chunk (OpenAI {@code stream_options.include_usage})
     * @param promptEstimate input tokens to announce when the provider reports them only at the end
     */
    public StreamTranslator(String provider, Dialect providerDialect, Dialect clientDialect, String modelId,
                            boolean includeUsage, long promptEstimate, ObjectMapper json) {
        this.decoder = new StreamDecoder(providerDialect, provider, json);
        boolean passthrough = providerDialect == clientDialect;
        this.encoder = clientDialect == Dialect.OPENAI
                ? new OpenAiStreamEncoder(passthrough, modelId, includeUsage)
                : new AnthropicStreamEncoder(passthrough, modelId, promptEstimate);
    }

    /** The frames to send the client for one upstream event; after a failure or the end, look at the state. */
    public List<String> onEvent(SseEvent event) {
        JsonNode[] parsed = new JsonNode[1];
        List<StreamPart> parts = decoder.decode(event, parsed);
        for (StreamPart part : parts) {
            if (part instanceof StreamPart.Start start) {
                upstreamId = start.id();
            } else if (part instanceof StreamPart.Text text) {
                generated.append(text.text());
            } else if (part instanceof StreamPart.ToolStart tool) {
                generated.append(tool.name());
            } else if (part instanceof StreamPart.ToolArguments arguments) {
                generated.append(arguments.json());
            } else if (part instanceof StreamPart.Finish) {
                finished = true;
            } else if (part instanceof StreamPart.UsageReport report) {
                usage = UsageJson.merge(usage, report.usage(), report.hasInput());
                usageComplete = report.complete();
            } else if (part instanceof StreamPart.Failed failed) {
                failure = failed.failure();
            } else if (part instanceof StreamPart.End) {
                ended = true;
            }
        }
        return encoder.encode(parsed[0], parts);
    }

    /** The provider sent an error event. */
    public UpstreamFailure failure() {
        return failure;
    }

    /** The provider said the stream is over. */
    public boolean ended() {
        return ended;
    }

    /** The provider gave a finish reason (a stream cut after it lost nothing but its closing events). */
    public boolean finished() {
        return finished;
    }

    public String upstreamId() {
        return upstreamId;
    }

    /** The usage the provider reported, possibly without the final output count; null when none. */
    public Usage reportedUsage() {
        return usage;
    }

    /** True once the provider's usage is final. */
    public boolean usageComplete() {
        return usageComplete;
    }

    public String generatedText() {
        return generated.toString();
    }

    public List<String> closing(Usage finalUsage) {
        return encoder.closing(finalUsage);
    }

    public String error(ProviderException error) {
        return encoder.error(error);
    }
}
