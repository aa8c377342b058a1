package dev.aiagg.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aiagg.gateway.IntegrationTest;
import dev.aiagg.gateway.RawHttp;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Request bodies are bounded per path, refused with 413 in the format of the API that owns the path, whether the
 * size is declared or counted as chunks arrive, or with 503 when the bodies being received hold all the memory they
 * may; the connection is closed after a refusal. A body that arrives in pieces, chunked or after
 * {@code Expect: 100-continue} still reaches its handler whole, with its caller's token and correlation id.
 */
@Timeout(60)
class RequestBodyLimitsIT extends IntegrationTest {

    private static final int API_LIMIT = 64 * 1024;
    private static final int CHAT_LIMIT = 32 * 1024 * 1024;
    private static final int EMBEDDINGS_LIMIT = 4 * 1024 * 1024;

    @LocalServerPort
    private int port;

    @Autowired
    private ObjectMapper json;

    @Autowired
    private JdbcClient jdbc;

    @Autowired
    private BodyBudget budget;

    @Test
    void aDeclaredLengthOverThePathsLimitIsRefusedAtOnceInThatApisFormat() throws Exception {
        assertProblem(declared("/api/companies", API_LIMIT + 1), 413, "payload_too_large");
        assertOpenAi(declared("/v1/chat/completions", CHAT_LIMIT + 1), 413, "invalid_request_error",
                "request_too_large");
        assertOpenAi(declared("/v1/embeddings", EMBEDDINGS_LIMIT + 1), 413, "invalid_request_error",
                "request_too_large");
        assertAnthropic(declared("/v1/messages", CHAT_LIMIT + 1), 413, "request_too_large");
    }

    @Test
    void aBodyOfExactlyTheLimitIsNotRefusedForItsSize() throws Exception {
        String email = "limit-" + UUID.randomUUID() + "@example.com";
        String prefix = "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\",\"name\":\"";
        String body = prefix + "x".repeat(API_LIMIT - prefix.length() - 2) + "\"}";
        assertThat(body.getBytes(StandardCharsets.UTF_8)).hasSize(API_LIMIT);

        try (RawHttp client = RawHttp.connect(port)) {
            RawHttp.Answer answer = client.send(head("/api/companies", body.length(), Map.of())).send(body).answer();

            assertThat(answer.status()).as(answer.body()).isEqualTo(400);
            assertThat(problemCode(answer)).isEqualTo("invalid_input");
        }
    }

    @Test
    void aChunkedBodyIsCountedAsItArrivesAndCutPastTheLimit() throws Exception {
        assertProblem(chunkedPast("/api/companies", API_LIMIT), 413, "payload_too_large");
        assertOpenAi(chunkedPast("/v1/embeddings", EMBEDDINGS_LIMIT), 413, "invalid_request_error",
                "request_too_large");
        assertOpenAi(chunkedPast("/v1/chat/completions", CHAT_LIMIT), 413, "invalid_request_error",
                "request_too_large");
        assertAnthropic(chunkedPast("/v1/messages", CHAT_LIMIT), 413, "request_too_large");
    }

    @Test
    void aBodyThatFindsNoRoomLeftIsRefusedWith503() throws Exception {
        long heldElsewhere = budget.free() - 1000;
        assertThat(budget.take(heldElsewhere)).isTrue();
        try {
            RawHttp.Answer api = whole("/api/companies", 2000);
            assertProblem(api, 503, "service_unavailable");
            assertThat(api.headers().get("retry-after")).isEqualTo("1");
            RawHttp.Answer chat = whole("/v1/chat/completions", 2000);
            assertOpenAi(chat, 503, "server_error", "service_unavailable");
            assertThat(chat.headers().get("retry-after")).isEqualTo("1");
            assertAnthropic(whole("/v1/messages", 2000), 503, "overloaded_error");
        } finally {
            budget.giveBack(heldElsewhere);
        }
        try (RawHttp client = RawHttp.connect(port)) {
            String registration = registration();
            RawHttp.Answer registered = client.send(head("/api/companies", registration.length(), Map.of()))
                    .send(registration).answer();
            assertThat(registered.status()).as(registered.body()).isEqualTo(201);
        }
    }

    @Test
    void aBodyThatArrivesInPiecesReachesItsHandlerWithTheCallersTokenAndCorrelationId() throws Exception {
        String token = newCompany().accessToken();
        String key = "{\"name\":\"late key\"}";
        try (RawHttp client = RawHttp.connect(port)) {
            client.send(head("/api/keys", key.length(), Map.of("Authorization", "Bearer " + token)));
            Thread.sleep(300);
            RawHttp.Answer issued = client.send(key.substring(0, 5)).send(key.substring(5)).answer();
            assertThat(issued.status()).as(issued.body()).isEqualTo(201);
            assertThat(json.readTree(issued.body()).path("secret").asText()).startsWith("sk-aiagg-");
            assertThat(issued.headers()).containsKey("x-content-type-options");

            // the same connection goes on serving
            RawHttp.Answer listed = client.send(RawHttp.head("GET", "/api/keys",
                    Map.of("Authorization", "Bearer " + token))).answer();
            assertThat(listed.status()).isEqualTo(200);
        }

        String requestId = "slow-" + UUID.randomUUID();
        RawHttp.Answer registered;
        try (RawHttp client = RawHttp.connect(port)) {
            String registration = registration();
            client.send(head("/api/companies", registration.length(), Map.of("X-Request-Id", requestId)));
            Thread.sleep(300);
            registered = client.send(registration).answer();
        }
        assertThat(registered.status()).as(registered.body()).isEqualTo(201);
        assertThat(registered.headers().get("x-request-id")).isEqualTo(requestId);
        List<String> metadata = jdbc.sql("""
                        SELECT convert_from(meta_data, 'UTF8') FROM domain_event_entry
                        WHERE aggregate_identifier = :company""")
                .param("company", json.readTree(registered.body()).path("companyId").asText())
                .query(String.class).list();
        assertThat(metadata).isNotEmpty().allSatisfy(m -> assertThat(m).contains(requestId));
    }

    @Test
    void aChunkedBodyWithinTheLimitReachesItsHandler() throws Exception {
        byte[] registration = registration().getBytes(StandardCharsets.UTF_8);
        try (RawHttp client = RawHttp.connect(port)) {
            client.send(RawHttp.head("POST", "/api/companies", Map.of("Content-Type", "application/json",
                    "Transfer-Encoding", "chunked")));
            client.send(RawHttp.chunk(Arrays.copyOfRange(registration, 0, 10)));
            Thread.sleep(200);
            client.send(RawHttp.chunk(Arrays.copyOfRange(registration, 10, registration.length)))
                    .send(RawHttp.lastChunk());

            RawHttp.Answer answer = client.answer();

            assertThat(answer.status()).as(answer.body()).isEqualTo(201);
        }
    }

    @Test
    void aClientThatWaitsForOneHundredContinueIsAskedForItsBody() throws Exception {
        String registration = registration();
        try (RawHttp client = RawHttp.connect(port)) {
            client.send(head("/api/companies", registration.length(), Map.of("Expect", "100-continue")));

            assertThat(client.answer().status()).isEqualTo(100);
            RawHttp.Answer answer = client.send(registration).answer();
            assertThat(answer.status()).as(answer.body()).isEqualTo(201);
        }
    }

    /** Sends only the head of a request that declares this length, and reads the answer. */
    private RawHttp.Answer declared(String path, long length) throws Exception {
        try (RawHttp client = RawHttp.connect(port)) {
            RawHttp.Answer answer = client.send(head(path, length, Map.of("x-api-key", "sk-aiagg-none",
                    "anthropic-version", "2023-06-01"))).answer();
            assertThat(client.closedByServer()).as("connection closed after the refusal").isTrue();
            return answer;
        }
    }

    /** Sends a whole body of this length and reads the answer. */
    private RawHttp.Answer whole(String path, int length) throws Exception {
        try (RawHttp client = RawHttp.connect(port)) {
            client.send(head(path, length, Map.of("x-api-key", "sk-aiagg-none", "anthropic-version", "2023-06-01")));
            RawHttp.Answer answer = client.send("{" + " ".repeat(length - 2) + "}").answer();
            assertThat(client.closedByServer()).as("connection closed after the refusal").isTrue();
            return answer;
        }
    }

    /** Sends one byte more than the limit in chunks, without ending the body, and reads the answer. */
    private RawHttp.Answer chunkedPast(String path, int limit) throws Exception {
        try (RawHttp client = RawHttp.connect(port)) {
            client.send(RawHttp.head("POST", path, Map.of("Content-Type", "application/json",
                    "Transfer-Encoding", "chunked", "x-api-key", "sk-aiagg-none", "anthropic-version", "2023-06-01")));
            byte[] piece = new byte[64 * 1024];
            Arrays.fill(piece, (byte) 'a');
            int sent = 0;
            while (sent + piece.length <= limit) {
                client.send(RawHttp.chunk(piece));
                sent += piece.length;
            }
            client.send(RawHttp.chunk(Arrays.copyOf(piece, limit - sent + 1)));
            RawHttp.Answer answer = client.answer();
            assertThat(client.closedByServer()).as("connection closed after the refusal").isTrue();
            return answer;
        }
    }

    private void assertProblem(RawHttp.Answer answer, int status, String code) throws Exception {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        assertThat(answer.headers().get("content-type")).startsWith("application/problem+json");
        assertThat(answer.headers().get("connection")).isEqualTo("close");
        JsonNode problem = json.readTree(answer.body());
        assertThat(problem.path("status").asInt()).isEqualTo(status);
        assertThat(problem.path("code").asText()).isEqualTo(code);
        assertThat(problem.path("detail").asText()).isNotBlank();
    }

    private void assertOpenAi(RawHttp.Answer answer, int status, String type, String code) throws Exception {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        assertThat(answer.headers().get("connection")).isEqualTo("close");
        JsonNode error = json.readTree(answer.body()).path("error");
        assertThat(error.path("type").asText()).isEqualTo(type);
        assertThat(error.path("code").asText()).isEqualTo(code);
        assertThat(error.has("param")).isTrue();
        assertThat(error.path("param").isNull()).isTrue();
        assertThat(error.path("message").asText()).isNotBlank();
    }

    private void assertAnthropic(RawHttp.Answer answer, int status, String type) throws Exception {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        assertThat(answer.headers().get("connection")).isEqualTo("close");
        JsonNode body = json.readTree(answer.body());
        assertThat(body.path("type").asText()).isEqualTo("error");
        assertThat(body.path("error").path("type").asText()).isEqualTo(type);
        assertThat(body.path("error").path("message").asText()).isNotBlank();
        assertThat(body.path("request_id").asText()).isEqualTo(answer.headers().get("x-request-id"));
    }

    private String problemCode(RawHttp.Answer answer) throws Exception {
        return json.readTree(answer.body()).path("code").asText();
    }

    private static String head(String path, long length, Map<String, String> headers) {
        Map<String, String> all = new java.util.LinkedHashMap<>(headers);
        all.put("Content-Type", "application/json");
        all.put("Content-Length", Long.toString(length));
        return RawHttp.head("POST", path, all);
    }

    private static String registration() {
        return "{\"name\":\"Slow Ltd\",\"email\":\"slow-" + UUID.randomUUID() + "@example.com\",\"password\":\""
                + PASSWORD + "\"}";
    }
}
