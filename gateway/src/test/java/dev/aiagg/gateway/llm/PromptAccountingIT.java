package dev.aiagg.gateway.llm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aiagg.gateway.FakeUpstream;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;

/**
 * What a call is held and charged for: every field that carries prompt tokens, the completion cap the provider is
 * sent, {@code n}, caps too large to add, cache writes at their own price, and requests too large to tokenize.
 */
class PromptAccountingIT extends LlmIntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** About 25,000 tokens of text: 4.5 roubles of input at the test prices, far more than 1.00 covers. */
    private static final String MANY_TOKENS = "lorem ipsum dolor sit amet ".repeat(4_000);
    private static final Map<String, String> ANTHROPIC = Map.of("anthropic-version", "2023-06-01");

    @Test
    void theCapAHoldWasSizedForIsTheCapEveryProviderIsSent() throws Exception {
        Tenant tenant = tenant("10.00", Map.of());
        String openAi = defineModel("openai", "fake-cap-openai", "RUB", 100);
        String openRouter = defineModel("openrouter", "fake-cap-openrouter", "RUB", 100);
        String anthropic = defineModel("anthropic", "fake-cap-anthropic", "RUB", 100);

        for (String model : List.of(openAi, openRouter, anthropic)) {
            assertThat(v1(tenant.secret(), "/v1/chat/completions", chatBody(model, false)).status()).isEqualTo(200);
        }

        assertThat(sent("fake-cap-openai").path("max_completion_tokens").asInt()).isEqualTo(100);
        assertThat(sent("fake-cap-openai").has("max_tokens")).isFalse();
        assertThat(sent("fake-cap-openrouter").path("max_tokens").asInt()).isEqualTo(100);
        assertThat(sent("fake-cap-openrouter").has("max_completion_tokens")).isFalse();
        assertThat(sent("fake-cap-anthropic").path("max_tokens").asInt()).isEqualTo(100);

        // The client's own cap, once, in the field each provider reads; max_completion_tokens wins over max_tokens.
        for (String model : List.of(openAi, openRouter, anthropic)) {
            Response answered = v1(tenant.secret(), "/v1/chat/completions", Map.of("model", model,
                    "max_tokens", 500, "max_completion_tokens", 50, "n", 1,
                    "messages", List.of(Map.of("role", "user", "content", "hi"))));
            assertThat(answered.status()).as("%s", answered.body()).isEqualTo(200);
        }
        assertThat(sent("fake-cap-openai").path("max_completion_tokens").asInt()).isEqualTo(50);
        assertThat(sent("fake-cap-openai").has("max_tokens")).isFalse();
        assertThat(sent("fake-cap-openrouter").path("max_tokens").asInt()).isEqualTo(50);
        assertThat(sent("fake-cap-openrouter").has("max_completion_tokens")).isFalse();
        assertThat(sent("fake-cap-anthropic").path("max_tokens").asInt()).isEqualTo(50);
    }

    @Test
    void nMultipliesTheCapInTheTokensPerMinuteAndInTheHold() {
        String model = defineModel("openai", "fake-chat", "RUB", 100);
        // "hi" is 7 prompt tokens; each choice may add 100.
        Tenant three = tenant("10.00", Map.of("tpm", 300));
        Tenant two = tenant("10.00", Map.of("tpm", 300));

        Response refused = v1(three.secret(), "/v1/chat/completions", withChoices(model, 3));
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.body().at("/error/code").asText()).isEqualTo("rate_limit_exceeded");
        assertThat(v1(two.secret(), "/v1/chat/completions", withChoices(model, 2)).status()).isEqualTo(200);

        // A choice may cost 100 × 600 × 1.2 = 72,000 micro-roubles: 128 of them are more than 1.00.
        Tenant poor = tenant("1.00", Map.of());
        Response tooMany = v1(poor.secret(), "/v1/chat/completions", withChoices(model, 128));
        assertThat(tooMany.status()).isEqualTo(402);
        assertThat(tooMany.body().at("/error/code").asText()).isEqualTo("insufficient_quota");
        assertThat(v1(poor.secret(), "/v1/chat/completions", withChoices(model, 1)).status()).isEqualTo(200);
    }

    @Test
    void aNonsensicalNIsRefused() {
        Tenant tenant = tenant("10.00", Map.of());
        String model = defineModel("openai", "fake-chat", "RUB", 100);

        for (Object n : List.of(0, -1, 129, 1.5, "2", true)) {
            Response refused = v1(tenant.secret(), "/v1/chat/completions", withChoices(model, n));
            assertThat(refused.status()).as("n = %s", n).isEqualTo(400);
            assertThat(refused.body().at("/error/type").asText()).isEqualTo("invalid_request_error");
            assertThat(refused.body().at("/error/message").asText()).contains("n must be");
        }
    }

    @Test
    void aHugeMaxTokensIsRefusedAndNeverLiftsTheTokensPerMinute() {
        Tenant tenant = tenant("10.00", Map.of("tpm", 1_000));
        String model = defineModel("openai", "fake-chat", "RUB", 100);

        for (String cap : List.of("9223372036854775807", "9200000000000000000", "9.2E18", "18446744073709551616",
                "1000001")) {
            for (String field : List.of("max_tokens", "max_completion_tokens")) {
                Response refused = call(HttpMethod.POST, "/v1/chat/completions", tenant.secret(),
                        "{\"model\":\"" + model + "\",\"" + field + "\":" + cap
                                + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
                assertThat(refused.status()).as("%s %s: %s", field, cap, refused.body()).isEqualTo(400);
                assertThat(refused.body().at("/error/message").asText()).contains(field);
            }
        }
        Response anthropic = call(HttpMethod.POST, "/v1/messages", tenant.secret(),
                "{\"model\":\"" + model + "\",\"max_tokens\":9223372036854775807,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", ANTHROPIC);
        assertThat(anthropic.status()).isEqualTo(400);
        assertThat(anthropic.body().at("/error/type").asText()).isEqualTo("invalid_request_error");

        // None of them took from the minute's tokens, nor gave any: 7 + 1,000 tokens do not fit in 1,000.
        Response tooMany = v1(tenant.secret(), "/v1/chat/completions", Map.of("model", model,
                "max_tokens", 1_000, "messages", List.of(Map.of("role", "user", "content", "hi"))));
        assertThat(tooMany.status()).isEqualTo(429);
        assertThat(tooMany.headers().getFirst("x-ratelimit-remaining-tokens")).isEqualTo("1000");
        assertThat(v1(tenant.secret(), "/v1/chat/completions", Map.of("model", model, "max_tokens", 900,
                "messages", List.of(Map.of("role", "user", "content", "hi")))).status()).isEqualTo(200);
    }

    @Test
    void manyTokensInAnyFieldAreRefusedOnABalanceThatCannotCoverThemAndAdmittedOnOneThatCan() {
        String openAi = defineModel("openai", "gpt-4o", "RUB", 16);
        String anthropic = defineModel("anthropic", "claude-fake", "RUB", 16);
        Tenant poor = tenant("1.00", Map.of());
        Tenant rich = tenant("20.00", Map.of());
        List<Map<String, Object>> hi = List.of(Map.of("role", "user", "content", "hi"));
        String image = "data:image/png;base64," + Base64.getEncoder().encodeToString(png(2048, 2048));
        List<Map<String, Object>> images = new ArrayList<>();
        for (int i = 0; i < 27; i++) {
            // 2048 × 2048 is resized to 768 × 768: four tiles, 765 tokens each image.
            images.add(Map.of("type", "image_url", "image_url", Map.of("url", image, "detail", "high")));
        }
        String pdf = Base64.getEncoder().encodeToString(pdf(5));

        Map<String, Map<String, Object>> openAiFields = new LinkedHashMap<>();
        openAiFields.put("messages", Map.of("model", openAi,
                "messages", List.of(Map.of("role", "user", "content", MANY_TOKENS))));
        openAiFields.put("tools", Map.of("model", openAi, "messages", hi, "tools", List.of(Map.of(
                "type", "function", "function", Map.of("name", "lookup", "description", MANY_TOKENS,
                        "parameters", Map.of("type", "object"))))));
        openAiFields.put("functions", Map.of("model", openAi, "messages", hi, "functions", List.of(Map.of(
                "name", "lookup", "description", MANY_TOKENS, "parameters", Map.of("type", "object")))));
        openAiFields.put("response_format", Map.of("model", openAi, "messages", hi, "response_format", Map.of(
                "type", "json_schema", "json_schema", Map.of("name", "answer", "schema",
                        Map.of("type", "object", "description", MANY_TOKENS)))));
        openAiFields.put("prediction", Map.of("model", openAi, "messages", hi,
                "prediction", Map.of("type", "content", "content", MANY_TOKENS)));
        openAiFields.put("images", Map.of("model", openAi,
                "messages", List.of(Map.of("role", "user", "content", images))));
        openAiFields.put("a PDF", Map.of("model", openAi, "messages", List.of(Map.of("role", "user", "content",
                List.of(Map.of("type", "file", "file", Map.of("filename", "report.pdf",
                        "file_data", "data:application/pdf;base64," + pdf)))))));
        Map<String, Map<String, Object>> anthropicFields = new LinkedHashMap<>();
        anthropicFields.put("a text document", Map.of("model", anthropic, "max_tokens", 16,
                "messages", List.of(Map.of("role", "user", "content", List.of(Map.of("type", "document",
                        "source", Map.of("type", "text", "media_type", "text/plain", "data", MANY_TOKENS)))))));
        anthropicFields.put("a PDF document", Map.of("model", anthropic, "max_tokens", 16,
                "messages", List.of(Map.of("role", "user", "content", List.of(Map.of("type", "document",
                        "source", Map.of("type", "base64", "media_type", "application/pdf", "data", pdf)))))));
        anthropicFields.put("system blocks", Map.of("model", anthropic, "max_tokens", 16,
                "system", List.of(Map.of("type", "text", "text", MANY_TOKENS)), "messages", hi));

        assertThat(v1(poor.secret(), "/v1/chat/completions", Map.of("model", openAi, "messages", hi)).status())
                .as("the poor balance covers a short call").isEqualTo(200);
        openAiFields.forEach((field, body) -> {
            Response refused = v1(poor.secret(), "/v1/chat/completions", body);
            assertThat(refused.status()).as("%s: %s", field, refused.body()).isEqualTo(402);
            assertThat(refused.body().at("/error/code").asText()).isEqualTo("insufficient_quota");
            assertThat(v1(rich.secret(), "/v1/chat/completions", body).status()).as(field).isEqualTo(200);
        });
        anthropicFields.forEach((field, body) -> {
            Response refused = call(HttpMethod.POST, "/v1/messages", poor.secret(), body, ANTHROPIC);
            assertThat(refused.status()).as("%s: %s", field, refused.body()).isEqualTo(402);
            assertThat(refused.body().at("/error/type").asText()).isEqualTo("billing_error");
            assertThat(call(HttpMethod.POST, "/v1/messages", rich.secret(), body, ANTHROPIC).status()).as(field)
                    .isEqualTo(200);
        });
    }

    @Test
    void cacheWritesAreChargedAtTheCacheWritePrice() {
        Tenant tenant = tenant("10.00", Map.of());
        String byDefault = defineModel("anthropic", "fake-cache-write", "RUB", 100);
        String ownPrice = defineModel("anthropic", "fake-cache-write", Map.of("input", "150", "cachedInput", "75",
                "output", "600", "cacheWrite", "300"));

        assertThat(v1(tenant.secret(), "/v1/chat/completions", chatBody(byDefault, false)).status()).isEqualTo(200);
        assertThat(v1(tenant.secret(), "/v1/chat/completions", chatBody(ownPrice, false)).status()).isEqualTo(200);

        // 21 plain × 150 + 200 read × 75 + 1,000 written × 187.5 (1.25 × 150) + 7 × 600 = 209,850; × 1.2
        // 21 plain × 150 + 200 read × 75 + 1,000 written × 300 + 7 × 600 = 322,350; × 1.2
        awaitCharges(tenant, List.of(251_820L, 386_820L));
    }

    @Test
    void aTenMegabytePromptWithoutSpacesFromAKeyThatCannotPayIsRefusedBeforeItIsCounted() throws Exception {
        Tenant broke = tenant(null, Map.of("tpm", 10));
        String model = defineModel("openai", "fake-huge", "RUB", 16);
        String embeddings = defineModel("openai", "fake-embed", "RUB", null);

        long allocated = allocatedByAllThreads();
        HttpResponse<String> chat = post(broke.secret(), "/v1/chat/completions", "{\"model\":\"" + model
                + "\",\"messages\":[{\"role\":\"user\",\"content\":\"" + "a".repeat(10 * 1024 * 1024) + "\"}]}");
        HttpResponse<String> embed = post(broke.secret(), "/v1/embeddings", "{\"model\":\"" + embeddings
                + "\",\"input\":\"" + "a".repeat(3 * 1024 * 1024) + "\"}");
        long allocatedWhileRefusing = allocatedByAllThreads() - allocated;

        assertThat(chat.statusCode()).as(chat.body()).isEqualTo(402);
        assertThat(JSON.readTree(chat.body()).at("/error/code").asText()).isEqualTo("insufficient_quota");
        assertThat(embed.statusCode()).as(embed.body()).isEqualTo(402);
        assertThat(allocatedWhileRefusing).as("bytes allocated by every thread").isLessThan(512L * 1024 * 1024);
        // Funds come before counting and the rate limit: 7 + 16 tokens would be over the key's 10 a minute.
        assertThat(v1(broke.secret(), "/v1/chat/completions", chatBody(model, false)).status()).isEqualTo(402);
    }

    @Test
    void aTenMegabytePromptWithoutSpacesFromAKeyWithFundsIsCountedByTheBound() throws Exception {
        String model = defineModel("openai", "fake-huge", "RUB", 16);
        String prompt = "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\""
                + "a".repeat(10 * 1024 * 1024) + "\"}]}";
        // One token a byte, at the dearest input price (cache writes, 1.25 × 150): 10,485,766 tokens × 187.5 × 1.2
        // = 2,359.30 roubles. Counted by the tokenizer it would be 1,310,726 tokens, 294.91 roubles, which 1,000 covers.
        Tenant tooPoor = tenant("1000.00", Map.of());
        Tenant enough = tenant("3000.00", Map.of());

        long allocated = allocatedByAllThreads();
        HttpResponse<String> refused = post(tooPoor.secret(), "/v1/chat/completions", prompt);
        HttpResponse<String> admitted = post(enough.secret(), "/v1/chat/completions", prompt);
        long allocatedWhileAnswering = allocatedByAllThreads() - allocated;

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(402);
        assertThat(admitted.statusCode()).as(admitted.body()).isEqualTo(200);
        assertThat(allocatedWhileAnswering).as("bytes allocated by every thread").isLessThan(1024L * 1024 * 1024);
        awaitCharges(enough, List.of(charge(FakeUpstream.PROMPT_TOKENS, FakeUpstream.COMPLETION_TOKENS)));
    }

    private JsonNode sent(String upstreamModel) throws Exception {
        String body = FakeUpstream.lastRequest(upstreamModel);
        assertThat(body).as("request for %s", upstreamModel).isNotNull();
        return JSON.readTree(body);
    }

    private static Map<String, Object> withChoices(String model, Object n) {
        return Map.of("model", model, "n", n, "messages", List.of(Map.of("role", "user", "content", "hi")));
    }

    private String defineModel(String provider, String upstreamModel, Map<String, String> prices) {
        String modelId = "it-" + upstreamModel + "-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> body = new HashMap<>(Map.of(
                "deployments", List.of(Map.of("provider", provider, "upstreamModel", upstreamModel,
                        "priority", 1, "weight", 1)),
                "prices", prices, "currency", "RUB", "markup", MARKUP.toPlainString(), "defaultCompletionCap", 100));
        Response defined = call(HttpMethod.PUT, "/api/admin/models/" + modelId, operatorToken(), body);
        assertThat(defined.status()).as("model: %s", defined.body()).isBetween(200, 201);
        return modelId;
    }

    private HttpResponse<String> post(String secret, String path, String body) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + secret)
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Bytes every live thread has allocated so far: the gateway's request threads, the test's and the rest. */
    private static long allocatedByAllThreads() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long total = 0;
        for (long bytes : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) {
            total += Math.max(0, bytes);
        }
        return total;
    }

    /** A PNG header naming these dimensions: all the gateway reads of an image. */
    private static byte[] png(int width, int height) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'});
        for (int value : new int[] {width, height}) {
            out.writeBytes(new byte[] {(byte) (value >> 24), (byte) (value >> 16), (byte) (value >> 8), (byte) value});
        }
        out.writeBytes(new byte[] {8, 6, 0, 0, 0});
        return out.toByteArray();
    }

    /** A PDF of plain page objects. */
    private static byte[] pdf(int pages) {
        StringBuilder pdf = new StringBuilder("%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
        pdf.append("2 0 obj\n<< /Type /Pages /Count ").append(pages).append(" >>\nendobj\n");
        for (int i = 0; i < pages; i++) {
            pdf.append(3 + i).append(" 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>\nendobj\n");
        }
        return pdf.append("%%EOF\n").toString().getBytes(StandardCharsets.US_ASCII);
    }
}
