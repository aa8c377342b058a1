package dev.aiagg.proxy.translation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aiagg.proxy.Dialect;
import dev.aiagg.proxy.ProviderException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A client's chat request, rewritten for a deployment: the upstream model, and when the dialects differ, the
 * whole request translated (messages, system prompt, tools, tool choice, stop sequences, limits).
 */
public final class RequestTranslator {

    private static final Pattern DATA_URL = Pattern.compile("data:([^;,]+);base64,(.*)", Pattern.DOTALL);
    private static final String PDF = "application/pdf";

    private final ObjectMapper json;
    private final int defaultMaxTokens;

    /** @param defaultMaxTokens Anthropic's required {@code max_tokens} when an OpenAI client set no limit */
    public RequestTranslator(ObjectMapper json, int defaultMaxTokens) {
        this.json = json;
        this.defaultMaxTokens = defaultMaxTokens;
    }

    public ObjectNode translate(Dialect client, Dialect provider, ObjectNode request, String upstreamModel) {
        if (client == Dialect.OPENAI && request.path("n").asInt(1) > 1 && provider == Dialect.ANTHROPIC) {
            throw new ProviderException(400, "invalid_request_error", "n > 1 is not supported for this model", null);
        }
        ObjectNode out;
        if (client == provider) {
            out = request.deepCopy();
        } else if (provider == Dialect.ANTHROPIC) {
            out = openAiToAnthropic(request);
        } else {
            out = anthropicToOpenAi(request);
        }
        out.put("model", upstreamModel);
        return out;
    }

    private ObjectNode openAiToAnthropic(ObjectNode request) {
        ObjectNode out = json.createObjectNode();
        ArrayNode system = json.createArrayNode();
        ArrayNode messages = json.createArrayNode();
        for (JsonNode message : request.path("messages")) {
            String role = message.path("role").asText();
            switch (role) {
                case "system", "developer" -> {
                    String text = plainText(message.get("content"));
                    if (!text.isEmpty()) {
                        system.addObject().put("type", "text").put("text", text);
                    }
                }
                case "assistant" -> append(messages, "assistant", assistantBlocks(message));
                case "tool" -> {
                    ArrayNode blocks = json.createArrayNode();
                    blocks.addObject().put("type", "tool_result")
                            .put("tool_use_id", message.path("tool_call_id").asText())
                            .put("content", plainText(message.get("content")));
                    append(messages, "user", blocks);
                }
                default -> append(messages, "user", userBlocks(message.get("content")));
            }
        }
        int maxTokens = request.path("max_completion_tokens").asInt(request.path("max_tokens").asInt(defaultMaxTokens));
        out.put("max_tokens", maxTokens);
        if (!system.isEmpty()) {
            out.set("system", system);
        }
        out.set("messages", messages);
        copy(request, out, "temperature", "temperature");
        copy(request, out, "top_p", "top_p");
        JsonNode stop = request.get("stop");
        if (stop != null && stop.isTextual()) {
            out.putArray("stop_sequences").add(stop.asText());
        } else if (stop != null && stop.isArray()) {
            out.set("stop_sequences", stop.deepCopy());
        }
        if (request.hasNonNull("user")) {
            out.putObject("metadata").put("user_id", request.get("user").asText());
        }
        if (request.path("tools").isArray() && !request.get("tools").isEmpty()) {
            ArrayNode tools = out.putArray("tools");
            for (JsonNode tool : request.get("tools")) {
                JsonNode function = tool.path("function");
                ObjectNode converted = tools.addObject().put("name", function.path("name").asText());
                if (function.hasNonNull("description")) {
                    converted.put("description", function.get("description").asText());
                }
                converted.set("input_schema", function.hasNonNull("parameters") ? function.get("parameters").deepCopy()
                        : json.createObjectNode().put("type", "object").set("properties", json.createObjectNode()));
            }
            ObjectNode choice = anthropicToolChoice(request.get("tool_choice"));
            if (request.path("parallel_tool_calls").isBoolean() && !request.get("parallel_tool_calls").asBoolean()
                    && !"none".equals(choice.path("type").asText())) {
                choice.put("disable_parallel_tool_use", true);
            }
            out.set("tool_choice", choice);
        }
        return out;
    }

    private ObjectNode anthropicToolChoice(JsonNode choice) {
        ObjectNode out = json.createObjectNode();
        if (choice == null || choice.isNull()) {
            return out.put("type", "auto");
        }
        if (choice.isTextual()) {
            return out.put("type", switch (choice.asText()) {
                case "required" -> "any";
                case "none" -> "none";
                default -> "auto";
            });
        }
        return out.put("type", "tool").put("name", choice.path("function").path("name").asText());
    }

    private ArrayNode assistantBlocks(JsonNode message) {
        ArrayNode blocks = json.createArrayNode();
        String text = plainText(message.get("content"));
        if (!text.isEmpty()) {
            blocks.addObject().put("type", "text").put("text", text);
        }
        for (JsonNode call : message.path("tool_calls")) {
            ObjectNode block = blocks.addObject().put("type", "tool_use")
                    .put("id", call.path("id").asText())
                    .put("name", call.path("function").path("name").asText());
            block.set("input", parseArguments(call.path("function").path("arguments").asText("")));
        }
        return blocks;
    }

    private ArrayNode userBlocks(JsonNode content) {
        ArrayNode blocks = json.createArrayNode();
        if (content == null || content.isNull()) {
            return blocks;
        }
        if (content.isTextual()) {
            blocks.addObject().put("type", "text").put("text", content.asText());
            return blocks;
        }
        for (JsonNode part : content) {
            String type = part.path("type").asText();
            switch (type) {
                case "text" -> blocks.addObject().put("type", "text").put("text", part.path("text").asText());
                case "image_url" -> {
                    String url = part.path("image_url").path("url").asText();
                    Matcher data = DATA_URL.matcher(url);
                    ObjectNode source = blocks.addObject().put("type", "image").putObject("source");
                    if (data.matches()) {
                        source.put("type", "base64").put("media_type", data.group(1)).put("data", data.group(2));
                    } else {
                        source.put("type", "url").put("url", url);
                    }
                }
                case "file" -> blocks.add(anthropicDocument(part.path("file")));
                default -> throw unsupported("content parts of type '" + type + "'");
            }
        }
        return blocks;
    }

    /** A PDF sent inline ({@code file_data}, a data URL or bare base64) is a document block; a file id is not. */
    private ObjectNode anthropicDocument(JsonNode file) {
        String data = file.path("file_data").asText("");
        if (data.isEmpty()) {
            throw unsupported("files referenced by file_id (send the file inline as file_data)");
        }
        Matcher url = DATA_URL.matcher(data);
        String mediaType = url.matches() ? url.group(1) : PDF;
        if (!mediaType.equals(PDF)) {
            throw unsupported("files of type " + mediaType + " (PDF only)");
        }
        ObjectNode document = json.createObjectNode().put("type", "document");
        document.putObject("source").put("type", "base64").put("media_type", PDF)
                .put("data", url.matches() ? url.group(2) : data);
        if (file.hasNonNull("filename")) {
            document.put("title", file.get("filename").asText());
        }
        return document;
    }

    private static ProviderException unsupported(String what) {
        return new ProviderException(400, "invalid_request_error", what + " cannot be sent to this model", null);
    }

    /** Anthropic wants user and assistant turns to alternate: consecutive messages of one role are merged. */
    private void append(ArrayNode messages, String role, ArrayNode blocks) {
        if (blocks.isEmpty()) {
            return;
        }
        JsonNode last = messages.isEmpty() ? null : messages.get(messages.size() - 1);
        if (last != null && last.path("role").asText().equals(role)) {
            ((ArrayNode) last.get("content")).addAll(blocks);
        } else {
            ObjectNode message = messages.addObject().put("role", role);
            message.set("content", blocks);
        }
    }

    private ObjectNode anthropicToOpenAi(ObjectNode request) {
        ObjectNode out = json.createObjectNode();
        ArrayNode messages = out.putArray("messages");
        JsonNode system = request.get("system");
        if (system != null && !system.isNull()) {
            String text = plainText(system);
            if (!text.isEmpty()) {
                messages.addObject().put("role", "system").put("content", text);
            }
        }
        for (JsonNode message : request.path("messages")) {
            String role = message.path("role").asText();
            JsonNode content = message.get("content");
            if (content == null || content.isTextual()) {
                messages.addObject().put("role", role).put("content", content == null ? "" : content.asText());
            } else if (role.equals("assistant")) {
                messages.add(openAiAssistant(content));
            } else {
                openAiUser(messages, content);
            }
        }
        if (request.has("max_tokens")) {
            out.put("max_tokens", request.get("max_tokens").asInt());
        }
        copy(request, out, "temperature", "temperature");
        copy(request, out, "top_p", "top_p");
        copy(request, out, "stop_sequences", "stop");
        if (request.path("metadata").hasNonNull("user_id")) {
            out.put("user", request.get("metadata").get("user_id").asText());
        }
        if (request.path("tools").isArray() && !request.get("tools").isEmpty()) {
            ArrayNode tools = out.putArray("tools");
            for (JsonNode tool : request.get("tools")) {
                if (tool.has("type") && !tool.get("type").asText().equals("custom")) {
                    continue;
                }
                ObjectNode function = tools.addObject().put("type", "function").putObject("function")
                        .put("name", tool.path("name").asText());
                if (tool.hasNonNull("description")) {
                    function.put("description", tool.get("description").asText());
                }
                function.set("parameters", tool.path("input_schema").deepCopy());
            }
            JsonNode choice = request.get("tool_choice");
            if (choice != null && choice.isObject()) {
                switch (choice.path("type").asText()) {
                    case "any" -> out.put("tool_choice", "required");
                    case "none" -> out.put("tool_choice", "none");
                    case "tool" -> out.putObject("tool_choice").put("type", "function")
                            .putObject("function").put("name", choice.path("name").asText());
                    default -> out.put("tool_choice", "auto");
                }
                if (choice.path("disable_parallel_tool_use").asBoolean(false)) {
                    out.put("parallel_tool_calls", false);
                }
            }
        }
        return out;
    }

    private ObjectNode openAiAssistant(JsonNode blocks) {
        ObjectNode message = json.createObjectNode().put("role", "assistant");
        StringBuilder text = new StringBuilder();
        ArrayNode calls = json.createArrayNode();
        for (JsonNode block : blocks) {
            String type = block.path("type").asText();
            switch (type) {
                case "text" -> text.append(block.path("text").asText());
                case "tool_use" -> {
                    ObjectNode call = calls.addObject().put("id", block.path("id").asText()).put("type", "function");
                    call.putObject("function").put("name", block.path("name").asText())
                            .put("arguments", block.path("input").toString());
                }
                case "thinking", "redacted_thinking" -> {
                    // The model's earlier reasoning: OpenAI takes none back, and the answer does not depend on it.
                }
                default -> throw unsupported("assistant content blocks of type '" + type + "'");
            }
        }
        if (text.length() == 0 && !calls.isEmpty()) {
            message.putNull("content");
        } else {
            message.put("content", text.toString());
        }
        if (!calls.isEmpty()) {
            message.set("tool_calls", calls);
        }
        return message;
    }

    /** Tool results become {@code tool} messages, ahead of whatever else the user turn says. */
    private void openAiUser(ArrayNode messages, JsonNode blocks) {
        ArrayNode parts = json.createArrayNode();
        for (JsonNode block : blocks) {
            String type = block.path("type").asText();
            switch (type) {
                case "tool_result" -> {
                    String text = plainText(block.get("content"));
                    messages.addObject().put("role", "tool")
                            .put("tool_call_id", block.path("tool_use_id").asText())
                            .put("content", block.path("is_error").asBoolean(false) && text.isEmpty()
                                    ? "error" : text);
                }
                case "text" -> parts.addObject().put("type", "text").put("text", block.path("text").asText());
                case "image" -> {
                    JsonNode source = block.path("source");
                    String url = source.path("type").asText().equals("base64")
                            ? "data:" + source.path("media_type").asText() + ";base64," + source.path("data").asText()
                            : source.path("url").asText();
                    parts.addObject().put("type", "image_url").putObject("image_url").put("url", url);
                }
                case "document" -> openAiDocument(parts, block);
                default -> throw unsupported("content blocks of type '" + type + "'");
            }
        }
        if (parts.isEmpty()) {
            return;
        }
        ObjectNode message = messages.addObject().put("role", "user");
        if (parts.size() == 1 && parts.get(0).path("type").asText().equals("text")) {
            message.put("content", parts.get(0).get("text").asText());
        } else {
            message.set("content", parts);
        }
    }

    /** A PDF becomes an inline file part, a plain-text document its text; a document by URL cannot be carried. */
    private void openAiDocument(ArrayNode parts, JsonNode document) {
        JsonNode source = document.path("source");
        switch (source.path("type").asText()) {
            case "base64" -> {
                String mediaType = source.path("media_type").asText();
                if (!mediaType.equals(PDF)) {
                    throw unsupported("documents of type " + mediaType + " (PDF only)");
                }
                parts.addObject().put("type", "file").putObject("file")
                        .put("filename", document.path("title").asText("document.pdf"))
                        .put("file_data", "data:" + PDF + ";base64," + source.path("data").asText());
            }
            case "text" -> parts.addObject().put("type", "text").put("text", source.path("data").asText());
            case "content" -> parts.addObject().put("type", "text").put("text", plainText(source.get("content")));
            default -> throw unsupported("documents given by " + source.path("type").asText("an unknown source")
                    + " (send them inline)");
        }
    }

    private JsonNode parseArguments(String arguments) {
        if (arguments.isBlank()) {
            return json.createObjectNode();
        }
        try {
            JsonNode parsed = json.readTree(arguments);
            return parsed.isObject() ? parsed : json.createObjectNode();
        } catch (JsonProcessingException e) {
            throw new ProviderException(400, "invalid_request_error",
                    "tool call arguments are not valid JSON: " + e.getOriginalMessage(), null);
        }
    }

    /** The text of a content value: a string, or the text parts of a list joined. */
    static String plainText(JsonNode content) {
        if (content == null || content.isNull()) {
            return "";
        }
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder out = new StringBuilder();
        for (JsonNode part : content) {
            if (part.has("text")) {
                if (out.length() > 0) {
                    out.append('\n');
                }
                out.append(part.get("text").asText());
            }
        }
        return out.toString();
    }

    private static void copy(ObjectNode from, ObjectNode to, String field, String as) {
        if (from.hasNonNull(field)) {
            to.set(as, from.get(field).deepCopy());
        }
    }
}
