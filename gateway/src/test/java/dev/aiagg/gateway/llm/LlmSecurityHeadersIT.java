package dev.aiagg.gateway.llm;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /v1} bypasses Spring Security's filter chain, yet its answers carry the same security headers as those of
 * {@code /api}: plain, streamed and refused alike, and HSTS when the request came over HTTPS (here through a
 * trusted local proxy's {@code X-Forwarded-Proto}).
 */
class LlmSecurityHeadersIT extends LlmIntegrationTest {

    private static final List<String> SECURITY_HEADERS = List.of("x-content-type-options", "x-xss-protection",
            "cache-control", "pragma", "expires", "x-frame-options", "strict-transport-security");

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void everyLlmAnswerCarriesTheHeadersOfTheRestApi() throws Exception {
        Tenant tenant = tenant("100.00", Map.of());
        String model = defineModel("openai", "fake-chat", "RUB", 4096);
        Map<String, String> api = securityHeaders(send(get("/api/balance", tenant.company().accessToken())));
        assertThat(api).containsEntry("x-content-type-options", "nosniff")
                .containsEntry("x-frame-options", "DENY")
                .hasEntrySatisfying("cache-control", value -> assertThat(value).contains("no-store"))
                .doesNotContainKey("strict-transport-security");

        HttpResponse<String> plain = send(chat(tenant.secret(), model, false).build());
        HttpResponse<String> stream = send(chat(tenant.secret(), model, true).build());
        HttpResponse<String> models = send(get("/v1/models", tenant.secret()));
        HttpResponse<String> refused = send(chat("sk-aiagg-not-a-key", model, false).build());

        assertThat(plain.statusCode()).isEqualTo(200);
        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(stream.headers().firstValue("content-type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("text/event-stream"));
        assertThat(stream.body()).contains("data: [DONE]");
        assertThat(models.statusCode()).isEqualTo(200);
        assertThat(refused.statusCode()).isEqualTo(401);
        for (HttpResponse<String> answer : List.of(plain, stream, models, refused)) {
            assertThat(securityHeaders(answer)).as("%s", answer.uri()).isEqualTo(api);
        }
    }

    @Test
    void overHttpsTheyCarryHstsAsTheRestApiDoes() throws Exception {
        Tenant tenant = tenant("10.00", Map.of());
        String model = defineModel("openai", "fake-chat", "RUB", 4096);

        Map<String, String> api = securityHeaders(send(HttpRequest.newBuilder(uri("/api/balance"))
                .header("Authorization", "Bearer " + tenant.company().accessToken())
                .header("X-Forwarded-Proto", "https").build()));
        Map<String, String> llm = securityHeaders(send(chat(tenant.secret(), model, true)
                .header("X-Forwarded-Proto", "https").build()));

        assertThat(api).containsKey("strict-transport-security");
        assertThat(llm).isEqualTo(api);
    }

    private HttpRequest.Builder chat(String secret, String model, boolean stream) {
        return HttpRequest.newBuilder(uri("/v1/chat/completions"))
                .header("Authorization", "Bearer " + secret)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + model + "\",\"stream\":" + stream
                        + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
    }

    private HttpRequest get(String path, String bearer) {
        return HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + bearer).build();
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private HttpResponse<String> send(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, String> securityHeaders(HttpResponse<String> response) {
        HttpHeaders headers = response.headers();
        Map<String, String> security = new TreeMap<>();
        for (String name : SECURITY_HEADERS) {
            headers.firstValue(name).ifPresent(value -> security.put(name, String.join(", ", headers.allValues(name))));
        }
        return security;
    }
}
