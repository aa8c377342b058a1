package dev.aiagg.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import java.util.Locale;

/**
 * Counts tokens with OpenAI's tokenizers, for reservations before a call and for usage a provider did not report.
 * o200k_base for the gpt-4o, gpt-4.1, gpt-5 and o-series families, cl100k_base for everything else (an
 * approximation for other vendors' models). Thread-safe.
 */
public class TokenCounter {

    private static final int PER_MESSAGE = 3;
    private static final int PRIMING = 3;

    /** Loads a vocabulary on its first use and keeps it: start-up stays fast. */
    private final EncodingRegistry registry = Encodings.newLazyEncodingRegistry();

    /** Input tokens of a chat request in {@code dialect}: every message's text, tool calls and results, tools. */
    public long promptTokens(Dialect dialect, ObjectNode request) {
        Encoding encoding = encoding(request.path("model").asText(""));
        long tokens = PRIMING;
        if (dialect == Dialect.ANTHROPIC && !request.path("system").isMissingNode()) {
            tokens += PER_MESSAGE + count(encoding, text(request.get("system")));
        }
        for (JsonNode message : request.path("messages")) {
            tokens += PER_MESSAGE + count(encoding, text(message.get("content")));
            if (message.hasNonNull("name")) {
                tokens += 1 + count(encoding, message.get("name").asText());
            }
            for (JsonNode call : message.path("tool_calls")) {
                tokens += count(encoding, call.path("function").path("name").asText(""))
                        + count(encoding, call.path("function").path("arguments").asText(""));
            }
        }
        if (request.has("tools")) {
            tokens += count(encoding, request.get("tools").toString());
        }
        return tokens;
    }

    /** Tokens of a plain text, as {@code model} would count them. */
    public long textTokens(String model, String text) {
        return count(encoding(model), text);
    }

    private static long count(Encoding encoding, String text) {
        return text.isEmpty() ? 0 : encoding.countTokensOrdinary(text);
    }

    private Encoding encoding(String model) {
        String name = model.toLowerCase(Locale.ROOT);
        name = name.substring(name.lastIndexOf('/') + 1);
        boolean o200 = name.startsWith("gpt-4o") || name.startsWith("gpt-4.1") || name.startsWith("gpt-5")
                || name.startsWith("chatgpt-4o") || name.matches("o\\d.*");
        return registry.getEncoding(o200 ? EncodingType.O200K_BASE : EncodingType.CL100K_BASE);
    }

    /** The text of a content value: a string, or the text, tool input and tool result parts of a block list. */
    private static String text(JsonNode content) {
        if (content == null || content.isNull()) {
            return "";
        }
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder out = new StringBuilder();
        for (JsonNode part : content) {
            String text = part.has("text") ? part.get("text").asText()
                    : part.has("input") ? part.path("name").asText("") + part.get("input")
                    : part.has("content") ? text(part.get("content")) : "";
            if (!text.isEmpty()) {
                out.append(out.length() > 0 ? "\n" : "").append(text);
            }
        }
        return out.toString();
    }
}
