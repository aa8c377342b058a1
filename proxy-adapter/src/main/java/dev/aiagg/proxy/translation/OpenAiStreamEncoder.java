package dev.aiagg.proxy.translation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aiagg.proxy.ProviderException;
import dev.aiagg.proxy.Usage;
import dev.aiagg.proxy.sse.SseEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes an OpenAI chat completion stream: role chunk, content and tool-call chunks, finish chunk, the usage chunk
 * ({@code choices: []}) when the client asked for it, then {@code [DONE]}. Chunks from an OpenAI-speaking provider
 * pass through with the public model id; the provider's own usage chunk and {@code [DONE]} are replaced by ours,
 * so the usage the client sees is the usage we charge.
 */
final class OpenAiStreamEncoder implements StreamEncoder {

    private final JsonNodeFactory nodes = JsonNodeFactory.instance;
    private final boolean passthrough;
    private final String modelId;
    private final boolean includeUsage;
    private final long created = System.currentTimeMillis() / 1000;
    private String id = "";

    OpenAiStreamEncoder(boolean passthrough, String modelId, boolean includeUsage) {
        this.passthrough = passthrough;
        this.modelId = modelId;
        this.includeUsage = includeUsage;
    }

    @Override
    public List<String> encode(JsonNode event, List<StreamPart> parts) {
        List<String> frames = new ArrayList<>(2);
        for (StreamPart part : parts) {
            if (part instanceof StreamPart.Start start) {
                id = start.id();
            }
            if (part instanceof StreamPart.Failed || part instanceof StreamPart.End) {
                return frames;
            }
        }
        if (passthrough) {
            if (event instanceof ObjectNode chunk && chunk.path("choices").isArray() && !chunk.get("choices").isEmpty()) {
                ObjectNode copy = chunk.deepCopy();
                copy.put("model", modelId);
                copy.put("object", "chat.completion.chunk");
                if (includeUsage) {
                    copy.putNull("usage");
                } else {
                    copy.remove("usage");
                }
                frames.add(SseEvent.frame(copy.toString()));
            }
            return frames;
        }
        for (StreamPart part : parts) {
            if (part instanceof StreamPart.Start) {
                frames.add(chunk(nodes.objectNode().put("role", "assistant").put("content", ""), null));
            } else if (part instanceof StreamPart.Text text) {
                frames.add(chunk(nodes.objectNode().put("content", text.text()), null));
            } else if (part instanceof StreamPart.ToolStart tool) {
                ObjectNode delta = nodes.objectNode();
                ObjectNode call = delta.putArray("tool_calls").addObject().put("index", tool.index())
                        .put("id", tool.id()).put("type", "function");
                call.putObject("function").put("name", tool.name()).put("arguments", "");
                frames.add(chunk(delta, null));
            } else if (part instanceof StreamPart.ToolArguments arguments) {
                ObjectNode delta = nodes.objectNode();
                delta.putArray("tool_calls").addObject().put("index", arguments.index())
                        .putObject("function").put("arguments", arguments.json());
                frames.add(chunk(delta, null));
            } else if (part instanceof StreamPart.Finish finish) {
                frames.add(chunk(nodes.objectNode(), finish.reason().openAi()));
            }
        }
        return frames;
    }

    private String chunk(ObjectNode delta, String finishReason) {
        ObjectNode chunk = head();
        ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
        choice.set("delta", delta);
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason);
        if (includeUsage) {
            chunk.putNull("usage");
        }
        return SseEvent.frame(chunk.toString());
    }

    private ObjectNode head() {
        return nodes.objectNode().put("id", id).put("object", "chat.completion.chunk").put("created", created)
                .put("model", modelId);
    }

    @Override
    public List<String> closing(Usage usage) {
        List<String> frames = new ArrayList<>(2);
        if (includeUsage) {
            ObjectNode chunk = head();
            chunk.putArray("choices");
            chunk.set("usage", UsageJson.openAi(usage));
            frames.add(SseEvent.frame(chunk.toString()));
        }
        frames.add(SseEvent.frame("[DONE]"));
        return frames;
    }

    @Override
    public String error(ProviderException error) {
        ObjectNode body = nodes.objectNode();
        body.putObject("error").put("message", error.getMessage()).put("type", error.type())
                .putNull("param").putNull("code");
        return SseEvent.frame(body.toString());
    }
}
