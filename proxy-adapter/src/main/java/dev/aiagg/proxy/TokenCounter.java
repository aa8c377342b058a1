package dev.aiagg.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts the tokens a call's input may be billed for, before the call (to size its hold) and after it when the
 * provider reported no usage. Never fewer than the provider bills, as far as its published rules tell:
 * <ul>
 *   <li>every field that carries prompt tokens counts: messages of every form (text parts, refusals, tool calls and
 *       results, names), system and developer prompts, tools and legacy functions, tool choice, response format
 *       schemas, predicted output, Anthropic's system blocks and documents; fields it does not know count as their
 *       JSON text;</li>
 *   <li>text with the model's own tokenizer for OpenAI's models (o200k or cl100k), and for every other model cl100k
 *       times {@code foreignFactor} plus what finer tokenizers make of digits, line breaks and repeated characters;
 *       </li>
 *   <li>images by the providers' rules from their dimensions, read from the base64 header; an image that cannot be
 *       measured (a URL) at the largest size billed; PDFs per page at the published upper figure, audio by size;</li>
 *   <li>with several deployments, the most any of them would bill.</li>
 * </ul>
 * Counting is bounded in time and memory: past {@code exactLimit} characters of a request, or for a text with a run
 * of one kind of character longer than {@code maxRun}, a text counts as its UTF-8 length (a byte-level BPE makes at
 * most one token per byte; one more for SentencePiece's leading space), which may over-reserve and never
 * under-counts. Thread-safe.
 */
public class TokenCounter {

    static final int PER_MESSAGE = 3;
    static final int PRIMING = 3;
    static final int PER_NAME = 1;
    /** Pages of a PDF whose pages cannot be counted: the most either provider takes in one request. */
    static final int UNKNOWN_PDF_PAGES = 100;
    /** Bytes of audio per token: 31 tokens a second even at 8 kbit/s, above what OpenAI bills for audio input. */
    static final int AUDIO_BYTES_PER_TOKEN = 32;

    /** Request fields that carry no prompt: the model's settings. */
    private static final Set<String> SETTINGS = Set.of("model", "stream", "stream_options", "max_tokens",
            "max_completion_tokens", "n", "temperature", "top_p", "top_k", "seed", "stop", "stop_sequences", "user",
            "metadata", "logit_bias", "logprobs", "top_logprobs", "presence_penalty", "frequency_penalty",
            "service_tier", "store", "parallel_tool_calls", "reasoning_effort", "verbosity", "modalities",
            "safety_identifier", "prompt_cache_key", "thinking", "cache_control");
    private static final int MAX_CACHED_RULES = 1_024;

    /** Loads a vocabulary on its first use and keeps it: start-up stays fast. */
    private final EncodingRegistry registry = Encodings.newLazyEncodingRegistry();
    private final Map<Deployment, TokenRule> rules = new ConcurrentHashMap<>();
    private final TokenCountProperties limits;

    public TokenCounter() {
        this(TokenCountProperties.DEFAULTS);
    }

    TokenCounter(TokenCountProperties limits) {
        this.limits = limits;
    }

    /** Input tokens of a chat request in {@code dialect}: the most any of {@code deployments} would bill. */
    public long promptTokens(List<Deployment> deployments, Dialect dialect, ObjectNode request) {
        Tally tally = new Tally(deployments);
        tally.add(PRIMING);
        if (dialect == Dialect.ANTHROPIC && request.hasNonNull("system")) {
            tally.add(PER_MESSAGE);
            tally.content(request.get("system"));
        }
        for (JsonNode message : request.path("messages")) {
            tally.message(message);
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = request.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey();
            JsonNode value = field.getValue();
            if (value.isNull() || name.equals("messages") || name.equals("system") || SETTINGS.contains(name)) {
                continue;
            }
            switch (name) {
                case "tools", "functions" -> {
                    if (!value.isEmpty()) {
                        tally.json(value);
                        tally.toolsOverhead();
                    }
                }
                case "prediction" -> tally.content(value.get("content"));
                default -> tally.json(value);
            }
        }
        return tally.most();
    }

    /**
     * Tokens of OpenAI's predicted output ({@code prediction.content}): what of it the model rejects is billed as
     * completion tokens on top of what it generates.
     */
    public long predictionTokens(List<Deployment> deployments, ObjectNode request) {
        JsonNode prediction = request.path("prediction").path("content");
        if (prediction.isMissingNode() || prediction.isNull()) {
            return 0;
        }
        Tally tally = new Tally(deployments);
        tally.content(prediction);
        return tally.most();
    }

    /** Tokens of an embeddings {@code input}: a string, strings, or token arrays (counted as they are). */
    public long inputTokens(List<Deployment> deployments, JsonNode input) {
        Tally tally = new Tally(deployments);
        if (input.isTextual()) {
            tally.text(input.asText());
        }
        for (JsonNode item : input) {
            if (item.isTextual()) {
                tally.text(item.asText());
            } else {
                tally.add(item.isArray() ? item.size() : 1);
            }
        }
        return tally.most();
    }

    /** Tokens of a text (an answer, an embeddings input) as {@code deployment} would bill it, never fewer. */
    public long textTokens(Deployment deployment, String text) {
        Tally tally = new Tally(List.of(deployment));
        tally.text(text);
        return tally.most();
    }

    private TokenRule rule(Deployment deployment) {
        TokenRule rule = rules.get(deployment);
        if (rule == null) {
            if (rules.size() >= MAX_CACHED_RULES) {
                rules.clear();
            }
            rule = TokenRule.of(deployment);
            rules.put(deployment, rule);
        }
        return rule;
    }

    private static long plus(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }

    /** The running count of one request, for each distinct rule of its deployments. */
    private final class Tally {

        private final TokenRule[] rules;
        private final long[] totals;
        private final Encoding[] encodings;
        private final int[] encodingOf;
        private final long[] counted;
        private final TextShape shape = new TextShape();
        private long exactLeft = limits.exactLimit();

        Tally(List<Deployment> deployments) {
            List<TokenRule> distinct = new ArrayList<>(1);
            for (Deployment deployment : deployments) {
                TokenRule rule = rule(deployment);
                if (!distinct.contains(rule)) {
                    distinct.add(rule);
                }
            }
            if (distinct.isEmpty()) {
                distinct.add(TokenRule.of(new Deployment("", "", 0, 1)));
            }
            rules = distinct.toArray(TokenRule[]::new);
            totals = new long[rules.length];
            encodingOf = new int[rules.length];
            List<EncodingType> types = new ArrayList<>(1);
            for (int i = 0; i < rules.length; i++) {
                int index = types.indexOf(rules[i].encoding());
                if (index < 0) {
                    index = types.size();
                    types.add(rules[i].encoding());
                }
                encodingOf[i] = index;
            }
            encodings = new Encoding[types.size()];
            for (int e = 0; e < encodings.length; e++) {
                encodings[e] = registry.getEncoding(types.get(e));
            }
            counted = new long[encodings.length];
        }

        long most() {
            long most = 0;
            for (long total : totals) {
                most = Math.max(most, total);
            }
            return most;
        }

        void add(long tokens) {
            for (int i = 0; i < totals.length; i++) {
                totals[i] = plus(totals[i], tokens);
            }
        }

        void text(String text) {
            if (text.isEmpty()) {
                return;
            }
            shape.scan(text);
            long work = (long) text.length() * encodings.length;
            boolean exact = work <= exactLeft && shape.longestRun() <= limits.maxRun();
            if (exact) {
                exactLeft -= work;
                for (int e = 0; e < encodings.length; e++) {
                    counted[e] = encodings[e].countTokensOrdinary(text);
                }
            }
            for (int i = 0; i < rules.length; i++) {
                totals[i] = plus(totals[i], rules[i].text(counted[encodingOf[i]], exact, shape,
                        limits.foreignFactor()));
            }
        }

        /** A structured value (tools, schemas, tool input, fields it does not know) counts as its JSON text. */
        void json(JsonNode value) {
            if (value != null && !value.isNull() && !value.isMissingNode()) {
                text(value.isTextual() ? value.asText() : value.toString());
            }
        }

        void toolsOverhead() {
            for (int i = 0; i < rules.length; i++) {
                totals[i] = plus(totals[i], rules[i].toolsOverhead());
            }
        }

        void message(JsonNode message) {
            add(PER_MESSAGE);
            for (Iterator<Map.Entry<String, JsonNode>> fields = message.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                JsonNode value = field.getValue();
                if (value.isNull()) {
                    continue;
                }
                switch (field.getKey()) {
                    case "role" -> {
                    }
                    case "content" -> content(value);
                    case "name" -> {
                        add(PER_NAME);
                        json(value);
                    }
                    case "tool_calls" -> {
                        for (JsonNode call : value) {
                            json(call.path("id"));
                            json(call.path("function").path("name"));
                            json(call.path("function").path("arguments"));
                        }
                    }
                    case "function_call" -> {
                        json(value.path("name"));
                        json(value.path("arguments"));
                    }
                    default -> json(value);
                }
            }
        }

        /** A content value: a string, a block, or a list of parts and blocks of either dialect. */
        void content(JsonNode content) {
            if (content == null || content.isNull()) {
                return;
            }
            if (content.isTextual()) {
                text(content.asText());
            } else if (content.isArray()) {
                for (JsonNode part : content) {
                    content(part);
                }
            } else {
                part(content);
            }
        }

        private void part(JsonNode part) {
            switch (part.path("type").asText("")) {
                case "text", "input_text" -> json(part.get("text"));
                case "refusal" -> json(part.get("refusal"));
                case "image_url" -> {
                    JsonNode image = part.path("image_url");
                    String url = image.isTextual() ? image.asText() : image.path("url").asText("");
                    image(url, "low".equals(image.path("detail").asText()));
                }
                case "image" -> anthropicImage(part.path("source"));
                case "input_audio" -> audio(part.path("input_audio").path("data").asText(""));
                case "file" -> file(part.path("file"));
                case "document" -> document(part);
                case "tool_use", "server_tool_use" -> {
                    json(part.get("name"));
                    json(part.get("input"));
                }
                case "tool_result" -> content(part.get("content"));
                case "thinking" -> json(part.get("thinking"));
                default -> json(part);
            }
        }

        /** OpenAI's image part: a data URL is measured, any other URL counts at the largest size billed. */
        private void image(String url, boolean low) {
            int comma = url.indexOf(',');
            boolean base64 = url.startsWith("data:") && comma > 0 && url.substring(0, comma).endsWith(";base64");
            image(base64 ? ImageSize.of(url, comma + 1) : null, low);
        }

        private void anthropicImage(JsonNode source) {
            JsonNode data = source.get("data");
            boolean base64 = "base64".equals(source.path("type").asText()) && data != null && data.isTextual();
            image(base64 ? ImageSize.of(data.asText(), 0) : null, false);
        }

        private void image(ImageSize size, boolean low) {
            for (int i = 0; i < rules.length; i++) {
                totals[i] = plus(totals[i], size == null ? rules[i].largestImage(low)
                        : rules[i].image(size.width(), size.height(), low));
            }
        }

        /** OpenAI's file part: a PDF inline by its pages, a text file by its size, anything else as a full PDF. */
        private void file(JsonNode file) {
            json(file.get("filename"));
            String data = file.path("file_data").asText("");
            if (data.isEmpty()) {
                pdf(-1);
                return;
            }
            int comma = data.indexOf(',');
            if (data.startsWith("data:") && comma > 0) {
                String mediaType = data.substring(5, comma);
                if (mediaType.startsWith("text/")) {
                    add(base64Bytes(data, comma + 1) + 1);
                } else {
                    pdf(mediaType.startsWith("application/pdf") ? PdfPages.count(data, comma + 1) : -1);
                }
            } else {
                pdf(PdfPages.count(data, 0));
            }
        }

        /** Anthropic's document: a PDF by its pages, plain text as its text, content blocks as blocks. */
        private void document(JsonNode document) {
            json(document.get("title"));
            json(document.get("context"));
            JsonNode source = document.path("source");
            JsonNode data = source.get("data");
            switch (source.path("type").asText("")) {
                case "text" -> json(data);
                case "content" -> content(source.get("content"));
                case "base64" -> pdf(data != null && data.isTextual()
                        && "application/pdf".equals(source.path("media_type").asText())
                        ? PdfPages.count(data.asText(), 0) : -1);
                default -> pdf(-1);
            }
        }

        private void pdf(int pages) {
            long count = pages < 0 ? UNKNOWN_PDF_PAGES : pages;
            for (int i = 0; i < rules.length; i++) {
                totals[i] = plus(totals[i], count * rules[i].pdfPage());
            }
        }

        private void audio(String data) {
            add((base64Bytes(data, 0) + AUDIO_BYTES_PER_TOKEN - 1) / AUDIO_BYTES_PER_TOKEN);
        }

        private long base64Bytes(String data, int start) {
            int end = data.length();
            int padding = 0;
            while (end > start && data.charAt(end - 1) == '=' && padding < 2) {
                end--;
                padding++;
            }
            return (end - start) * 3L / 4;
        }
    }
}
