package dev.aiagg.proxy.translation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aiagg.proxy.Dialect;
import dev.aiagg.proxy.Usage;

/** A provider's non-streaming answer, rewritten in the client's dialect with the public model id. */
public final class ResponseTranslator {

    private final ObjectMapper json;

    public ResponseTranslator(ObjectMapper json) {
        this.json = json;
    }

    /** The usage the provider reported, or null. */
    public Usage usage(Dialect provider, ObjectNode body) {
        return UsageJson.read(provider, body.get("usage"));
    }

    /** Every text the answer generated (content and tool arguments), for estimating its tokens. */
    public String generatedText(Dialect provider, ObjectNode body) {
        StringBuilder out = new StringBuilder();
        if (provider == Dialect.ANTHROPIC) {
            for (JsonNode block : body.path("content")) {
                out.append(block.has("text") ? block.get("text").asText() : block.path("input").toString());
            }
        } else {
            for (JsonNode choice : body.path("choices")) {
                out.append(choice.path("message").path("content").asText(""));
                for (JsonNode call : choice.path("message").path("tool_calls")) {
                    out.append(call.path("function").path("name").asText(""))
                            .append(call.path("function").path("arguments").asText(""));
                }
            }
        }
        return out.toString();
    }

    /**
     * @param usage the usage to show the client when the provider reported none (estimated), or the provider's
     */
    public ObjectNode translate(Dialect provider, Dialect client, ObjectNode body, String modelId, Usage usage) {
        ObjectNode out;
        if (provider == client) {
            out = body.deepCopy();
            out.put("model", modelId);
            if (client == Dialect.OPENAI) {
                requiredOpenAiFields(out);
            }
            if (!out.path("usage").isObject()) {
                out.set("usage", client == Dialect.OPENAI ? UsageJson.openAi(usage) : UsageJson.anthropic(usage));
            }
        } else if (client == Dialect.OPENAI) {
            out = anthropicToOpenAi(body, modelId, usage);
        } else {
            out = openAiToAnthropic(body, modelId, usage);
        }
        return out;
    }

    /** OpenAI-compatible providers leave out fields that OpenAI's SDKs require (OpenRouter drops some). */
    private static void requiredOpenAiFields(ObjectNode out) {
        out.put("object", "chat.completion");
        if (!out.has("created")) {
            out.put("created", System.currentTimeMillis() / 1000);
        }
        for (JsonNode choice : out.path("choices")) {
            if (choice instanceof ObjectNode node && !node.has("logprobs")) {
                node.putNull("logprobs");
            }
            if (choice.path("message") instanceof ObjectNode message && !message.has("refusal")) {
                message.putNull("refusal");
            }
        }
    }

    private ObjectNode anthropicToOpenAi(ObjectNode body, String modelId, Usage usage) {
        ObjectNode out = json.createObjectNode()
                .put("id", body.path("id").asText())
                .put("object", "chat.completion")
                .put("created", System.currentTimeMillis() / 1000)
                .put("model", modelId);
        ObjectNode choice = out.putArray("choices").addObject().put("index", 0);
        ObjectNode message = choice.putObject("message").put("role", "assistant");
        StringBuilder text = new StringBuilder();
        boolean hasText = false;
        ArrayNode calls = json.createArrayNode();
        for (JsonNode block : body.path("content")) {
            String type = block.path("type").asText();
            if (type.equals("text")) {
                text.append(block.path("text").asText());
                hasText = true;
            } else if (type.equals("tool_use")) {
                ObjectNode call = calls.addObject().put("id", block.path("id").asText()).put("type", "function");
                call.putObject("function").put("name", block.path("name").asText())
                        .put("arguments", block.path("input").toString());
            }
        }
        if (hasText) {
            message.put("content", text.toString());
        } else {
            message.putNull("content");
        }
        message.putNull("refusal");
        if (!calls.isEmpty()) {
            message.set("tool_calls", calls);
        }
        choice.putNull("logprobs");
        choice.put("finish_reason", FinishReason.fromAnthropic(body.path("stop_reason").asText("end_turn")).openAi());
        out.set("usage", UsageJson.openAi(usage));
        return out;
    }

    private ObjectNode openAiToAnthropic(ObjectNode body, String modelId, Usage usage) {
        ObjectNode out = json.createObjectNode()
                .put("id", body.path("id").asText())
                .put("type", "message")
                .put("role", "assistant")
                .put("model", modelId);
        ArrayNode content = out.putArray("content");
        JsonNode choice = body.path("choices").path(0);
        JsonNode message = choice.path("message");
        String text = message.path("content").asText("");
        if (!text.isEmpty()) {
            content.addObject().put("type", "text").put("text", text);
        }
        for (JsonNode call : message.path("tool_calls")) {
            ObjectNode block = content.addObject().put("type", "tool_use")
                    .put("id", call.path("id").asText())
                    .put("name", call.path("function").path("name").asText());
            block.set("input", arguments(call.path("function").path("arguments").asText("")));
        }
        out.put("stop_reason", FinishReason.fromOpenAi(choice.path("finish_reason").asText("stop")).anthropic());
        out.putNull("stop_sequence");
        out.set("usage", UsageJson.anthropic(usage));
        return out;
    }

    /** A model may emit arguments that are not JSON; the client still gets an object. */
    private JsonNode arguments(String arguments) {
        if (arguments.isBlank()) {
            return json.createObjectNode();
        }
        try {
            JsonNode parsed = json.readTree(arguments);
            return parsed.isObject() ? parsed : json.createObjectNode().set("value", parsed);
        } catch (JsonProcessingException e) {
            return json.createObjectNode().put("_raw", arguments);
        }
    }
}
