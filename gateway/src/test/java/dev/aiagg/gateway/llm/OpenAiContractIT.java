package dev.aiagg.gateway.llm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;

/**
 * The gateway's OpenAI answers validate against the response schemas of OpenAI's own OpenAPI specification
 * ({@code openai-response-schemas.json}, taken from it): completions, stream chunks, embeddings, models and errors.
 */
class OpenAiContractIT extends LlmIntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNode SPEC = load();

    @Test
    void chatCompletionMatchesTheSchema() {
        Tenant tenant = tenant("10.00", Map.of());
        String model = defineModel("openai", "fake-chat", "RUB", null);

        Response answer = v1(tenant.secret(), "/v1/chat/completions", chatBody(model, false));

        assertThat(answer.status()).isEqualTo(200);
        assertValid("CreateChatCompletionResponse", answer.body());
    }

    @Test
    void everyStreamChunkMatchesTheSchema() throws Exception {
        Tenant tenant = tenant("10.00", Map.of());
        String model = defineModel("anthropic", "claude-fake", "RUB", null);

        HttpResponse<String> response = HttpClient.newHttpClient().send(streamRequest(tenant.secret(), model),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        List<String> data = response.body().lines().filter(line -> line.startsWith("data: "))
                .map(line -> line.substring(6)).toList();
        assertThat(data).last().isEqualTo("[DONE]");
        for (String chunk : data.subList(0, data.size() - 1)) {
            assertValid("CreateChatCompletionStreamResponse", read(chunk));
        }
    }

    @Test
    void embeddingsMatchTheSchema() {
        Tenant tenant = tenant("10.00", Map.of());
        String model = defineModel("openai", "fake-embed", "RUB", null);

        Response answer = v1(tenant.secret(), "/v1/embeddings",
                Map.of("model", model, "input", List.of("one", "two"), "encoding_format", "float"));

        assertThat(answer.status()).isEqualTo(200);
        assertValid("CreateEmbeddingResponse", answer.body());
    }

    @Test
    void modelsMatchTheSchema() {
        defineModel("openai", "fake-chat", "RUB", null);
        Tenant tenant = tenant("1.00", Map.of());

        Response models = call(HttpMethod.GET, "/v1/models", tenant.secret(), null);

        assertThat(models.status()).isEqualTo(200);
        assertValid("ListModelsResponse", models.body());
    }

    @Test
    void errorsMatchTheSchema() {
        Tenant broke = tenant(null, Map.of());
        String model = defineModel("openai", "fake-chat", "RUB", null);

        for (Response error : List.of(
                v1("sk-aiagg-wrong", "/v1/chat/completions", chatBody(model, false)),
                v1(broke.secret(), "/v1/chat/completions", chatBody(model, false)),
                v1(broke.secret(), "/v1/chat/completions", chatBody("unknown-model", false)),
                v1(broke.secret(), "/v1/chat/completions", Map.of("messages", List.of())))) {
            assertThat(error.status()).isBetween(400, 499);
            assertValid("ErrorResponse", error.body());
        }
    }

    private static void assertValid(String schemaName, JsonNode document) {
        ObjectNode root = JSON.createObjectNode();
        root.put("$ref", "#/components/schemas/" + schemaName);
        root.set("components", SPEC.get("components"));
        JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(root);
        Set<ValidationMessage> problems = schema.validate(document);
        assertThat(problems).as("%s against %s", document, schemaName).isEmpty();
    }

    private static JsonNode read(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    private static JsonNode load() {
        try (InputStream in = OpenAiContractIT.class.getResourceAsStream("/openai-response-schemas.json")) {
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
