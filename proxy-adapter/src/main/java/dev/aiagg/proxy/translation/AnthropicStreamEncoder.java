package dev.aiagg.proxy.translation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aiagg.proxy.ProviderException;
import dev.aiagg.proxy.Usage;
import dev.aiagg.proxy.sse.SseEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes an Anthropic messages stream, every event with its {@code event:} line (the SDKs drop events without one):
 * message_start, content blocks opened, filled and closed one at a time, message_delta with the stop reason and
 * usage, message_stop. Events from the Anthropic provider pass through with the public model id.
 */
final class AnthropicStreamEncoder implements StreamEncoder {

    private final JsonNodeFactory nodes = JsonNodeFactory.instance;
    private final boolean passthrough;
    private final String modelId;
    private final long promptEstimate;
    private final Map<Integer, Integer> blockOfTool = new HashMap<>();
    private int nextBlock;
    private int openBlock = -1;
    private boolean textOpen;
    private FinishReason finish = FinishReason.STOP;

    /** @param promptEstimate input tokens announced in message_start when the provider tells them only at the end */
    AnthropicStreamEncoder(boolean passthrough, String modelId, long promptEstimate) {
        this.passthrough = passthrough;
        this.modelId = modelId;
        this.promptEstimate = promptEstimate;
    }

    @Override
    public List<String> encode(JsonNode event, List<StreamPart> parts) {
        List<String> frames = new ArrayList<>(3);
        for (StreamPart part : parts) {
            if (part instanceof StreamPart.Failed) {
                return frames;
            }
        }
        if (passthrough) {
            if (event instanceof ObjectNode data && event.hasNonNull("type")) {
                ObjectNode copy = data.deepCopy();
                if (copy.path("message") instanceof ObjectNode message) {
                    message.put("model", modelId);
                }
                frames.add(SseEvent.frame(copy.get("type").asText(), copy.toString()));
            }
            return frames;
        }
        for (StreamPart part : parts) {
            if (part instanceof StreamPart.Start start) {
                ObjectNode data = event("message_start");
                ObjectNode message = data.putObject("message").put("id", start.id()).put("type", "message")
                        .put("role", "assistant").put("model", modelId);
                message.putArray("content");
                message.putNull("stop_reason");
                message.putNull("stop_sequence");
                message.putObject("usage").put("input_tokens", promptEstimate).put("output_tokens", 0);
                frames.add(frame(data));
            } else if (part instanceof StreamPart.Text text) {
                if (!textOpen) {
                    closeBlock(frames);
                    ObjectNode start = event("content_block_start").put("index", openBlock());
                    start.putObject("content_block").put("type", "text").put("text", "");
                    frames.add(frame(start));
                    textOpen = true;
                }
                ObjectNode delta = event("content_block_delta").put("index", openBlock);
                delta.putObject("delta").put("type", "text_delta").put("text", text.text());
                frames.add(frame(delta));
            } else if (part instanceof StreamPart.ToolStart tool) {
                closeBlock(frames);
                int index = openBlock();
                blockOfTool.put(tool.index(), index);
                ObjectNode start = event("content_block_start").put("index", index);
                ObjectNode block = start.putObject("content_block").put("type", "tool_use").put("id", tool.id())
                        .put("name", tool.name());
                block.putObject("input");
                frames.add(frame(start));
            } else if (part instanceof StreamPart.ToolArguments arguments) {
                Integer index = blockOfTool.get(arguments.index());
                if (index != null) {
                    ObjectNode delta = event("content_block_delta").put("index", index);
                    delta.putObject("delta").put("type", "input_json_delta").put("partial_json", arguments.json());
                    frames.add(frame(delta));
                }
            } else if (part instanceof StreamPart.Finish done) {
                finish = done.reason();
            }
        }
        return frames;
    }

    private int openBlock() {
        openBlock = nextBlock++;
        return openBlock;
    }

    private void closeBlock(List<String> frames) {
        if (openBlock >= 0) {
            frames.add(frame(event("content_block_stop").put("index", openBlock)));
            openBlock = -1;
            textOpen = false;
        }
    }

    @Override
    public List<String> closing(Usage usage) {
        List<String> frames = new ArrayList<>(3);
        if (passthrough) {
            return frames;
        }
        closeBlock(frames);
        ObjectNode delta = event("message_delta");
        delta.putObject("delta").put("stop_reason", finish.anthropic()).putNull("stop_sequence");
        delta.set("usage", UsageJson.anthropic(usage));
        frames.add(frame(delta));
        frames.add(frame(event("message_stop")));
        return frames;
    }

    @Override
    public String error(ProviderException error) {
        ObjectNode data = event("error");
        String type = switch (error.status()) {
            case 503 -> "overloaded_error";
            case 504 -> "timeout_error";
            case 429 -> "rate_limit_error";
            case 400, 404, 413, 422 -> "invalid_request_error";
            default -> "api_error";
        };
        data.putObject("error").put("type", type).put("message", error.getMessage());
        return frame(data);
    }

    private ObjectNode event(String type) {
        return nodes.objectNode().put("type", type);
    }

    private static String frame(ObjectNode data) {
        return SseEvent.frame(data.get("type").asText(), data.toString());
    }
}
