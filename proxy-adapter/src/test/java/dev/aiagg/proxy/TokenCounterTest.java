package dev.aiagg.proxy;

import static dev.aiagg.proxy.Media.base64;
import static dev.aiagg.proxy.TestProxies.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class TokenCounterTest {

    static final Deployment GPT_4O = new Deployment("openai", "gpt-4o", 0, 1);
    static final Deployment GPT_4 = new Deployment("openai", "gpt-4", 0, 1);
    static final Deployment CLAUDE = new Deployment("anthropic", "claude-sonnet-4-5", 0, 1);
    static final Deployment LLAMA = new Deployment("openrouter", "meta-llama/llama-3.1-70b-instruct", 0, 1);

    private final TokenCounter tokens = TestProxies.TOKENS;
    private final Encoding o200k = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.O200K_BASE);
    private final Encoding cl100k = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);

    private long prompt(Deployment deployment, Dialect dialect, String request) {
        return tokens.promptTokens(List.of(deployment), dialect, json(request));
    }

    @Nested
    class OpenAisModelsCountWithTheirOwnTokenizer {

        @Test
        void newerModelsUseO200kAndOlderOnesCl100k() {
            String text = "Привет, мир! Tokenizers differ on non-English text.";
            long counted = o200k.countTokensOrdinary(text);
            assertThat(tokens.textTokens(GPT_4O, text)).isEqualTo(counted);
            assertThat(tokens.textTokens(new Deployment("openai", "gpt-4.1-mini", 0, 1), text)).isEqualTo(counted);
            assertThat(tokens.textTokens(new Deployment("openrouter", "openai/gpt-5", 0, 1), text)).isEqualTo(counted);
            assertThat(tokens.textTokens(new Deployment("openai", "o3-mini", 0, 1), text)).isEqualTo(counted);
            assertThat(tokens.textTokens(GPT_4, text)).isEqualTo(cl100k.countTokensOrdinary(text))
                    .isNotEqualTo(counted);
        }

        @Test
        void specialTokenTextIsCountedAsOrdinaryText() {
            assertThat(tokens.textTokens(GPT_4O, "<|endoftext|>")).isGreaterThan(1);
        }

        @Test
        void chatOverheadIsThreePerMessagePlusThree() {
            long hello = tokens.textTokens(GPT_4O, "Hello");
            long hi = tokens.textTokens(GPT_4O, "Hi");
            assertThat(prompt(GPT_4O, Dialect.OPENAI, """
                    {"model":"gpt-4o","messages":[{"role":"user","content":"Hello"},
                     {"role":"assistant","content":[{"type":"text","text":"Hi"}]}]}"""))
                    .isEqualTo(3 + 3 + hello + 3 + hi);
            assertThat(prompt(GPT_4O, Dialect.ANTHROPIC, """
                    {"model":"gpt-4o","system":"Hello","max_tokens":5,"messages":[{"role":"user","content":"Hi"}]}"""))
                    .isEqualTo(3 + 3 + hello + 3 + hi);
        }

        @Test
        void theModelsSettingsCountNothing() {
            assertThat(prompt(GPT_4O, Dialect.OPENAI, """
                    {"model":"gpt-4o","messages":[{"role":"user","content":"Hi"}],"max_completion_tokens":100,"n":2,
                     "temperature":0.2,"stop":["x"],"user":"someone","metadata":{"a":"a long value of metadata"},
                     "stream":true,"stream_options":{"include_usage":true},"seed":7}"""))
                    .isEqualTo(prompt(GPT_4O, Dialect.OPENAI, """
                            {"model":"gpt-4o","messages":[{"role":"user","content":"Hi"}]}"""));
        }
    }

    @Nested
    class EveryFieldThatCarriesPromptTokensCounts {

        private static final String WORDS = "lorem ipsum dolor sit amet ".repeat(200);
        private static final String BARE = """
                {"model":"m","messages":[{"role":"user","content":"Hi"}]}""";

        private final long words = o200k.countTokensOrdinary(WORDS);
        private final long bare = prompt(GPT_4O, Dialect.OPENAI, BARE);

        private void carries(Dialect dialect, String request) {
            assertThat(prompt(GPT_4O, dialect, request.replace("$WORDS", WORDS))).as(request)
                    .isGreaterThanOrEqualTo(bare + words);
        }

        @Test
        void inOpenAisRequest() {
            carries(Dialect.OPENAI, """
                    {"model":"m","messages":[{"role":"user","content":"Hi"}],
                     "tools":[{"type":"function","function":{"name":"f","description":"$WORDS","parameters":{}}}]}""");
            carries(Dialect.OPENAI, """
                    {"model":"m","messages":[{"role":"user","content":"Hi"}],
                     "functions":[{"name":"f","description":"$WORDS","parameters":{}}],"function_call":"auto"}""");
            carries(Dialect.OPENAI, """
                    {"model":"m","messages":[{"role":"user","content":"Hi"}],
                     "response_format":{"type":"json_schema","json_schema":{"name":"s","schema":{"type":"object",
                      "description":"$WORDS"}}}}""");
            carries(Dialect.OPENAI, """
                    {"model":"m","messages":[{"role":"user","content":"Hi"}],
                     "prediction":{"type":"content","content":"$WORDS"}}""");
            carries(Dialect.OPENAI, """
                    {"model":"m","messages":[{"role":"user","content":"Hi"}],
                     "prediction":{"type":"content","content":[{"type":"text","text":"$WORDS"}]}}""");
            carries(Dialect.OPENAI, """
                    {"model":"m","messages":[{"role":"user","content":"Hi"}],
                     "tool_choice":{"type":"function","function":{"name":"$WORDS"}}}""");
        }

        @Test
        void inOpenAisMessages() {
            carries(Dialect.OPENAI, """
                    {"model":"m","messages":[{"role":"developer","content":"$WORDS"},{"role":"user","content":"Hi"}]}""");
            carries(Dialect.OPENAI, """
                    {"model":"m","messages":[{"role":"user","content":"Hi","name":"$WORDS"}]}""");
            carries(Dialect.OPENAI, """
                    {"model":"m","messages":[{"role":"user","content":"Hi"},
                     {"role":"assistant","content":null,"refusal":"$WORDS"}]}""");
            carries(Dialect.OPENAI, """
                    {"model":"m","messages":[{"role":"user","content":"Hi"},
                     {"role":"assistant","content":[{"type":"refusal","refusal":"$WORDS"}]}]}""");
            carries(Dialect.OPENAI, """
                    {"model":"m","messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":null,
                     "tool_calls":[{"id":"c1","type":"function","function":{"name":"f","arguments":"$WORDS"}}]}]}""");
            carries(Dialect.OPENAI, """
                    {"model":"m","messages":[{"role":"user","content":"Hi"},
                     {"role":"tool","tool_call_id":"c1","content":[{"type":"text","text":"$WORDS"}]}]}""");
            carries(Dialect.OPENAI, """
                    {"model":"m","messages":[{"role":"user","content":"Hi"},{"role":"assistant",
                     "function_call":{"name":"f","arguments":"$WORDS"}}]}""");
            carries(Dialect.OPENAI, """
                    {"model":"m","messages":[{"role":"user","content":[{"type":"text","text":"Hi"},
                     {"type":"file","file":{"filename":"$WORDS","file_data":"data:text/plain;base64,AAAA"}}]}]}""");
        }

        @Test
        void inAnthropicsRequest() {
            carries(Dialect.ANTHROPIC, """
                    {"model":"m","max_tokens":5,"system":[{"type":"text","text":"$WORDS","cache_control":
                     {"type":"ephemeral"}}],"messages":[{"role":"user","content":"Hi"}]}""");
            carries(Dialect.ANTHROPIC, """
                    {"model":"m","max_tokens":5,"messages":[{"role":"user","content":"Hi"}],
                     "tools":[{"name":"f","description":"$WORDS","input_schema":{"type":"object"}}]}""");
            carries(Dialect.ANTHROPIC, """
                    {"model":"m","max_tokens":5,"messages":[{"role":"user","content":[{"type":"text","text":"Hi"},
                     {"type":"document","source":{"type":"text","media_type":"text/plain","data":"$WORDS"}}]}]}""");
            carries(Dialect.ANTHROPIC, """
                    {"model":"m","max_tokens":5,"messages":[{"role":"user","content":[{"type":"text","text":"Hi"},
                     {"type":"document","source":{"type":"content","content":[{"type":"text","text":"$WORDS"}]}}]}]}""");
            carries(Dialect.ANTHROPIC, """
                    {"model":"m","max_tokens":5,"messages":[{"role":"user","content":"Hi"},{"role":"assistant",
                     "content":[{"type":"tool_use","id":"t","name":"f","input":{"q":"$WORDS"}}]},{"role":"user",
                     "content":[{"type":"tool_result","tool_use_id":"t","content":[{"type":"text","text":"$WORDS"}]}]}]}""");
            carries(Dialect.ANTHROPIC, """
                    {"model":"m","max_tokens":5,"messages":[{"role":"user","content":"Hi"},{"role":"assistant",
                     "content":[{"type":"thinking","thinking":"$WORDS","signature":"s"}]}]}""");
        }

        @Test
        void fieldsItDoesNotKnowCountAsTheirJson() {
            carries(Dialect.OPENAI, """
                    {"model":"m","messages":[{"role":"user","content":"Hi"}],"some_new_field":{"text":"$WORDS"}}""");
            carries(Dialect.OPENAI, """
                    {"model":"m","messages":[{"role":"user","content":[{"type":"some_new_part","x":"$WORDS"}]}]}""");
        }

        @Test
        void toolsCostAnthropicsToolUsePromptForEveryModelNotOpenAis() {
            String request = """
                    {"model":"m","max_tokens":5,"messages":[{"role":"user","content":"Hi"}],
                     "tools":[{"name":"f","input_schema":{"type":"object"}}]}""";
            String without = """
                    {"model":"m","max_tokens":5,"messages":[{"role":"user","content":"Hi"}]}""";
            assertThat(prompt(CLAUDE, Dialect.ANTHROPIC, request) - prompt(CLAUDE, Dialect.ANTHROPIC, without))
                    .isGreaterThan(TokenRule.TOOL_USE_PROMPT);
            assertThat(prompt(GPT_4O, Dialect.ANTHROPIC, request) - prompt(GPT_4O, Dialect.ANTHROPIC, without))
                    .isLessThan(50);
        }
    }

    @Nested
    class ImagesAndDocuments {

        private long image(Deployment deployment, byte[] image, String detail) {
            String request = """
                    {"model":"m","messages":[{"role":"user","content":[{"type":"image_url","image_url":
                     {"url":"data:image/png;base64,%s","detail":"%s"}}]}]}""".formatted(base64(image), detail);
            return prompt(deployment, Dialect.OPENAI, request) - 6;
        }

        @Test
        void openAiBillsTilesOfTheResizedImage() {
            // 1024 × 1024 → 768 × 768: 4 tiles, 85 + 4 × 170; 2048 × 4096 → 768 × 1536: 6 tiles.
            assertThat(image(GPT_4O, Media.png(1024, 1024), "high")).isEqualTo(765);
            assertThat(image(GPT_4O, Media.jpeg(2048, 4096), "auto")).isEqualTo(1105);
            assertThat(image(GPT_4O, Media.webpLossy(4096, 8192), "low")).isEqualTo(85);
            assertThat(image(GPT_4O, Media.gif(500, 500), "high")).isEqualTo(255);
            assertThat(image(new Deployment("openai", "gpt-4o-mini", 0, 1), Media.png(1024, 1024), "high"))
                    .isEqualTo(2_833 + 4 * 5_667);
        }

        @Test
        void openAisPatchModelsBillPatchesTimesTheirMultiplier() {
            // 32 × 32 patches × 1.62 = 1,658.88; at most 1,536 patches.
            assertThat(image(new Deployment("openai", "gpt-4.1-mini", 0, 1), Media.png(1024, 1024), "high"))
                    .isEqualTo(1_659);
            assertThat(image(new Deployment("openai", "gpt-4.1-nano", 0, 1), Media.png(8000, 8000), "high"))
                    .isEqualTo((long) Math.ceil(1_536 * 2.46));
        }

        @Test
        void anthropicBillsWidthTimesHeightOver750UpToItsResizingLimit() {
            String request = """
                    {"model":"m","max_tokens":5,"messages":[{"role":"user","content":[{"type":"image","source":
                     {"type":"base64","media_type":"image/jpeg","data":"%s"}}]}]}""";
            long bare = prompt(CLAUDE, Dialect.ANTHROPIC, request.formatted(""));
            assertThat(prompt(CLAUDE, Dialect.ANTHROPIC, request.formatted(base64(Media.jpeg(1092, 1092)))) - bare)
                    .isEqualTo(1_590 - TokenRule.Vision.ANTHROPIC_MAX);
            assertThat(prompt(CLAUDE, Dialect.ANTHROPIC, request.formatted(base64(Media.png(200, 200)))) - bare)
                    .isEqualTo(54 - TokenRule.Vision.ANTHROPIC_MAX);
            assertThat(prompt(CLAUDE, Dialect.ANTHROPIC, request.formatted(base64(Media.png(3000, 2000)))))
                    .isEqualTo(bare);
        }

        @Test
        void anImageThatCannotBeMeasuredCountsAtTheLargestSizeBilled() {
            String byUrl = """
                    {"model":"m","messages":[{"role":"user","content":[{"type":"image_url","image_url":
                     {"url":"https://example.com/cat.png"}}]}]}""";
            assertThat(prompt(GPT_4O, Dialect.OPENAI, byUrl) - 6).isEqualTo(85 + 8 * 170);
            assertThat(prompt(CLAUDE, Dialect.OPENAI, byUrl) - 6).isEqualTo(1_600);
            assertThat(prompt(LLAMA, Dialect.OPENAI, byUrl) - 6).isEqualTo(1_600);
            assertThat(prompt(new Deployment("openai", "gpt-4o-mini", 0, 1), Dialect.OPENAI, byUrl) - 6)
                    .isEqualTo(2_833 + 8 * 5_667);
            assertThat(image(GPT_4O, "not an image".getBytes(StandardCharsets.UTF_8), "high")).isEqualTo(1_445);
        }

        @Test
        void aPdfCountsItsPagesAtThePublishedUpperFigures() {
            String openAi = """
                    {"model":"m","messages":[{"role":"user","content":[{"type":"file","file":
                     {"filename":"a.pdf","file_data":"data:application/pdf;base64,%s"}}]}]}""";
            long name = tokens.textTokens(GPT_4O, "a.pdf");
            assertThat(prompt(GPT_4O, Dialect.OPENAI, openAi.formatted(base64(Media.pdf(5, " /Page")))))
                    .isEqualTo(6 + name + 5 * (3_000 + 1_445));
            String anthropic = """
                    {"model":"m","max_tokens":5,"messages":[{"role":"user","content":[{"type":"document","source":
                     {"type":"base64","media_type":"application/pdf","data":"%s"}}]}]}""";
            assertThat(prompt(CLAUDE, Dialect.ANTHROPIC, anthropic.formatted(base64(Media.pdfWithObjectStream(3)))))
                    .isEqualTo(6 + 3 * (3_000 + 1_600));
        }

        @Test
        void aPdfWhosePagesCannotBeCountedCountsAsTheMostPagesAProviderTakes() {
            long full = TokenCounter.UNKNOWN_PDF_PAGES * (3_000 + 1_600L);
            assertThat(prompt(CLAUDE, Dialect.ANTHROPIC, """
                    {"model":"m","max_tokens":5,"messages":[{"role":"user","content":[{"type":"document","source":
                     {"type":"url","url":"https://example.com/report.pdf"}}]}]}""")).isEqualTo(6 + full);
            assertThat(prompt(CLAUDE, Dialect.ANTHROPIC, """
                    {"model":"m","max_tokens":5,"messages":[{"role":"user","content":[{"type":"document","source":
                     {"type":"base64","media_type":"application/pdf","data":"%s"}}]}]}"""
                    .formatted(base64(Media.encryptedPdf())))).isEqualTo(6 + full);
            assertThat(prompt(GPT_4O, Dialect.OPENAI, """
                    {"model":"m","messages":[{"role":"user","content":[{"type":"file","file":{"file_id":"file-1"}}]}]}"""))
                    .isEqualTo(6 + TokenCounter.UNKNOWN_PDF_PAGES * (3_000 + 1_445L));
        }

        @Test
        void audioCountsByItsSize() {
            String audio = base64(new byte[32 * 100]);
            assertThat(prompt(GPT_4O, Dialect.OPENAI, """
                    {"model":"m","messages":[{"role":"user","content":[{"type":"input_audio","input_audio":
                     {"data":"%s","format":"wav"}}]}]}""".formatted(audio))).isEqualTo(6 + 100);
        }
    }

    @Nested
    class EstimatesAreNeverBelowTheRealCount {

        /**
         * Texts and the most tokens any of these tokenizers makes of them: Anthropic's published Claude tokenizer
         * ({@code @anthropic-ai/tokenizer} 0.0.4), Llama 2 and Mistral 7B (SentencePiece, 32k), Gemma (Gemini's),
         * Qwen 3 and DeepSeek V3, each counted without special tokens. OpenAI's cl100k counts fewer for every one.
         */
        static final Map<String, Long> REAL = new LinkedHashMap<>();

        static {
            REAL.put("Счёт за каждый вызов модели выставляется в рублях: сначала резервируется максимальная "
                    + "стоимость, затем списывается точная сумма по фактическому использованию токенов.", 77L);
            REAL.put("long amount = Math.max(1, ChargeCalculator.maxCharge(promptTokens, completionCap, "
                    + "model.prices(),\n        model.currency(), model.markupPercent(), fxRate));\n"
                    + "if (amount > available) { throw new LlmException(402, \"insufficient_quota\"); }", 73L);
            REAL.put("def reserve(balance_micros: int, cost_micros: int) -> int:\n    if cost_micros > "
                    + "balance_micros:\n        raise ValueError(f\"insufficient funds: {cost_micros} > "
                    + "{balance_micros}\")\n    return balance_micros - cost_micros", 69L);
            REAL.put("4111 1111 1111 1111; 2026-11-25; 79161234567; 1234567890; 9876543210; 3.14159265358979", 87L);
            REAL.put("\n".repeat(40), 41L);
            REAL.put("=".repeat(98), 8L);
            REAL.put("Hello 👋 world 🌍! Ça va? Größe, naïve café — «ёлки» „quotes“ … ✓ ✗ → ←", 42L);
            REAL.put("网关在调用模型之前先冻结这次请求可能花费的最大金额，请求结束后再按实际使用的令牌数扣费。", 47L);
            REAL.put("| id | amount | date |\n|----|--------|------|\n| 1 | 100.00 | 2026-11-25 |\n"
                    + "| 2 | 250.50 | 2026-11-26 |\n| 3 | 7.25 | 2026-11-27 |", 88L);
        }

        @Test
        void otherVendorsTextIsCountedAtLeastAsTheirTokenizersCountIt() {
            REAL.forEach((text, real) -> {
                assertThat((long) cl100k.countTokensOrdinary(text)).as(text).isLessThan(real);
                for (Deployment foreign : List.of(CLAUDE, LLAMA)) {
                    assertThat(tokens.textTokens(foreign, text)).as(text).isGreaterThanOrEqualTo(real)
                            .isLessThanOrEqualTo(text.getBytes(StandardCharsets.UTF_8).length + 1);
                }
            });
        }

        @Test
        void cyrillicAndCodeAreCountedAboveCl100k() {
            String russian = REAL.keySet().iterator().next();
            assertThat(tokens.textTokens(CLAUDE, russian))
                    .isGreaterThanOrEqualTo((long) Math.ceil(cl100k.countTokensOrdinary(russian) * 1.4));
        }

        @Test
        void theCheapBoundIsNeverBelowTheTokenizersCount() {
            Random random = new Random(11);
            String[] alphabets = {"abcdefghijklmnopqrstuvwxyz ", "абвгдеёжзийклмнопрстуфхцчшщъыьэюя ",
                    "0123456789.,-+ ", "{}[]\":,=<>/\\\n\t ", "网关在调用模型之前先冻结这次请求", "👋🌍✓→€"};
            for (int i = 0; i < 300; i++) {
                StringBuilder text = new StringBuilder();
                int length = 1 + random.nextInt(400);
                while (text.length() < length) {
                    String alphabet = alphabets[random.nextInt(alphabets.length)];
                    int at = random.nextInt(alphabet.codePointCount(0, alphabet.length()));
                    text.appendCodePoint(alphabet.codePointAt(alphabet.offsetByCodePoints(0, at)));
                }
                long bytes = text.toString().getBytes(StandardCharsets.UTF_8).length;
                assertThat(bytes).isGreaterThanOrEqualTo(o200k.countTokensOrdinary(text.toString()))
                        .isGreaterThanOrEqualTo(cl100k.countTokensOrdinary(text.toString()));
            }
        }
    }

    @Nested
    class CountingIsBoundedInTimeAndMemory {

        private static final String BARE_REQUEST = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

        private final TokenCounter small = new TokenCounter(new TokenCountProperties(1_000, 16, 1.4));

        @Test
        void tenMegabytesWithoutABreakCountAsTheirBytesWithoutTokenizing() {
            String word = "a".repeat(10 * 1024 * 1024);
            ObjectNode request = json("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"\"}]}");
            ((ObjectNode) request.get("messages").get(0)).put("content", word);
            tokens.promptTokens(List.of(GPT_4O, CLAUDE), Dialect.OPENAI, json(BARE_REQUEST));
            com.sun.management.ThreadMXBean threads =
                    (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long before = threads.getCurrentThreadAllocatedBytes();

            long counted = tokens.promptTokens(List.of(GPT_4O, CLAUDE), Dialect.OPENAI, request);

            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            assertThat(counted).isEqualTo(3 + 3 + word.length() + 1);
            assertThat(allocated).as("bytes allocated while counting").isLessThan(1024 * 1024);
        }

        @Test
        void aRunLongerThanTheLimitCountsByTheBound() {
            String longWord = "x".repeat(17);
            assertThat(small.textTokens(GPT_4O, longWord)).isEqualTo(17);
            assertThat(small.textTokens(GPT_4O, "x".repeat(16))).isEqualTo(o200k.countTokensOrdinary("x".repeat(16)));
            assertThat(small.textTokens(GPT_4O, "Привет " + "ж".repeat(17))).isEqualTo(12 + 1 + 34);
        }

        @Test
        void textsBeyondTheRequestsExactLimitCountByTheBound() {
            String sentence = "the quick brown fox jumps over the lazy dog ".repeat(20);
            assertThat(sentence.length()).isEqualTo(880);
            ObjectNode twoMessages = json("""
                    {"model":"m","messages":[{"role":"user","content":"%s"},{"role":"user","content":"%s"}]}"""
                    .formatted(sentence, sentence));
            long exact = o200k.countTokensOrdinary(sentence);
            assertThat(small.promptTokens(List.of(GPT_4O), Dialect.OPENAI, twoMessages))
                    .isEqualTo(3 + 3 + exact + 3 + sentence.length());
            assertThat(tokens.promptTokens(List.of(GPT_4O), Dialect.OPENAI, twoMessages))
                    .isEqualTo(3 + 3 + exact + 3 + exact);
        }
    }

    @Test
    void severalDeploymentsCountAsTheDearestOfThem() {
        String request = """
                {"model":"m","messages":[{"role":"user","content":"Счёт за каждый вызов модели выставляется в рублях"}]}""";
        long both = tokens.promptTokens(List.of(GPT_4O, CLAUDE), Dialect.OPENAI, json(request));
        assertThat(both).isEqualTo(Math.max(prompt(GPT_4O, Dialect.OPENAI, request),
                prompt(CLAUDE, Dialect.OPENAI, request)));
        assertThat(prompt(CLAUDE, Dialect.OPENAI, request)).isGreaterThan(prompt(GPT_4O, Dialect.OPENAI, request));
    }

    @Test
    void embeddingsInputCountsItsTextsAndTokenArrays() {
        assertThat(tokens.inputTokens(List.of(GPT_4), json("{\"input\":\"embed me\"}").get("input")))
                .isEqualTo(cl100k.countTokensOrdinary("embed me"));
        assertThat(tokens.inputTokens(List.of(GPT_4), json("{\"input\":[\"a b\",[1,2,3],7]}").get("input")))
                .isEqualTo(cl100k.countTokensOrdinary("a b") + 3 + 1);
    }
}
