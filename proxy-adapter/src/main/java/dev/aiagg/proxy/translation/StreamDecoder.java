package dev.aiagg.proxy.translation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aiagg.proxy.Dialect;
import dev.aiagg.proxy.provider.Failures;
import dev.aiagg.proxy.provider.UpstreamFailure;
import dev.aiagg.proxy.sse.SseEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads a provider's stream events into {@link StreamPart}s. One per stream. */
final class StreamDecoder {

    private final Dialect dialect;
    private final String provider;
    private final ObjectMapper json;
    private final Map<Integer, Integer> toolOfBlock = new HashMap<>();
    private boolean started;

    StreamDecoder(Dialect dialect, String provider, ObjectMapper json) {
        this.dialect = dialect;
        this.provider = provider;
        this.json = json;
    }

    /** The event's parts; {@code parsed} receives the event's JSON (null for {@code [DONE]}). */
    List<StreamPart> decode(SseEvent event, JsonNode[] parsed) {
        if (event.data().equals("[DONE]")) {
            return List.of(new StreamPart.End());
        }
        JsonNode data;
        try {
            data = json.readTree(event.data());
        } catch (JsonProcessingException e) {
            return List.of(new StreamPart.Failed(
                    UpstreamFailure.broken("provider " + provider + " sent an event that is not JSON")));
        }
        parsed[0] = data;
        return dialect == Dialect.ANTHROPIC ? anthropic(event, data) : openAi(data);
    }

    private List<StreamPart> openAi(JsonNode chunk) {
        if (chunk.hasNonNull("error")) {
            return List.of(new StreamPart.Failed(Failures.fromErrorEvent(provider, chunk)));
        }
        List<StreamPart> parts = new ArrayList<>(3);
        if (!started) {
            started = true;
            parts.add(new StreamPart.Start(chunk.path("id").asText()));
        }
        JsonNode choice = chunk.path("choices").path(0);
        JsonNode delta = choice.path("delta");
        if (delta.path("content").isTextual() && !delta.get("content").asText().isEmpty()) {
            parts.add(new StreamPart.Text(delta.get("content").asText()));
        }
        for (JsonNode call : delta.path("tool_calls")) {
            int index = call.path("index").asInt();
            if (call.hasNonNull("id") || call.path("function").hasNonNull("name")) {
                parts.add(new StreamPart.ToolStart(index, call.path("id").asText(""),
                        call.path("function").path("name").asText("")));
            }
            String arguments = call.path("function").path("arguments").asText("");
            if (!arguments.isEmpty()) {
                parts.add(new StreamPart.ToolArguments(index, arguments));
            }
        }
        if (choice.path("finish_reason").isTextual()) {
            parts.add(new StreamPart.Finish(FinishReason.fromOpenAi(choice.get("finish_reason").asText())));
        }
        if (chunk.path("usage").isObject()) {
            parts.add(new StreamPart.UsageReport(UsageJson.read(Dialect.OPENAI, chunk.get("usage")), true, true));
        }
        return parts;
    }

    private List<StreamPart> anthropic(SseEvent event, JsonNode data) {
        String type = data.path("type").asText(event.event() == null ? "" : event.event());
        switch (type) {
            case "message_start" -> {
                JsonNode message = data.path("message");
                started = true;
                return List.of(new StreamPart.Start(message.path("id").asText()),
                        new StreamPart.UsageReport(UsageJson.read(Dialect.ANTHROPIC, message.path("usage")),
                                true, false));
            }
            case "content_block_start" -> {
                JsonNode block = data.path("content_block");
                if (block.path("type").asText().equals("tool_use")) {
                    int tool = toolOfBlock.size();
                    toolOfBlock.put(data.path("index").asInt(), tool);
                    return List.of(new StreamPart.ToolStart(tool, block.path("id").asText(),
                            block.path("name").asText()));
                }
                String text = block.path("text").asText("");
                return text.isEmpty() ? List.of() : List.of(new StreamPart.Text(text));
            }
            case "content_block_delta" -> {
                JsonNode delta = data.path("delta");
                String deltaType = delta.path("type").asText();
                if (deltaType.equals("text_delta")) {
                    return List.of(new StreamPart.Text(delta.path("text").asText()));
                }
                if (deltaType.equals("input_json_delta")) {
                    Integer tool = toolOfBlock.get(data.path("index").asInt());
                    String partial = delta.path("partial_json").asText("");
                    return tool == null || partial.isEmpty() ? List.of()
                            : List.of(new StreamPart.ToolArguments(tool, partial));
                }
                return List.of();
            }
            case "message_delta" -> {
                List<StreamPart> parts = new ArrayList<>(2);
                if (data.path("delta").path("stop_reason").isTextual()) {
                    parts.add(new StreamPart.Finish(
                            FinishReason.fromAnthropic(data.path("delta").path("stop_reason").asText())));
                }
                JsonNode usage = data.path("usage");
                if (usage.isObject()) {
                    parts.add(new StreamPart.UsageReport(UsageJson.read(Dialect.ANTHROPIC, usage),
                            usage.hasNonNull("input_tokens"), true));
                }
                return parts;
            }
            case "message_stop" -> {
                return List.of(new StreamPart.End());
            }
            case "error" -> {
                return List.of(new StreamPart.Failed(Failures.fromErrorEvent(provider, data)));
            }
            default -> {
                return List.of();
            }
        }
    }
}
