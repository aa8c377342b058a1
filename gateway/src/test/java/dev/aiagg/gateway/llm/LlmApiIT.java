package dev.aiagg.gateway.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.openai.core.http.StreamResponse;
import com.openai.errors.RateLimitException;
import com.openai.errors.UnauthorizedException;
import com.openai.errors.OpenAIServiceException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.models.Model;
import dev.aiagg.api.Money;
import dev.aiagg.api.account.ChargedAgainstHold;
import dev.aiagg.api.account.FundsReserved;
import dev.aiagg.api.account.ReservationSettled;
import dev.aiagg.gateway.FakeUpstream;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.http.HttpMethod;

/**
 * The LLM API end to end: the official OpenAI and Anthropic SDKs against the running gateway, a fake provider behind
 * it, and every call checked in the ledger.
 */
class LlmApiIT extends LlmIntegrationTest {

    @Autowired
    private JdbcTemplate jdbc;

    @Test
    void openAiSdkChatIsAnsweredAndChargedExactly() {
        Tenant tenant = tenant("100.00", Map.of());
        String model = defineModel("openai", "fake-chat", "RUB", 4096);

        ChatCompletion completion = openAi(tenant.secret()).chat().completions().create(
                ChatCompletionCreateParams.builder().model(model).addUserMessage("Say hello").build());

        assertThat(completion.choices().get(0).message().content()).contains(FakeUpstream.ANSWER);
        assertThat(completion.model()).isEqualTo(model);
        assertThat(completion.usage().orElseThrow().promptTokens()).isEqualTo(FakeUpstream.PROMPT_TOKENS);
        long expected = charge(FakeUpstream.PROMPT_TOKENS, FakeUpstream.COMPLETION_TOKENS);
        awaitCharges(tenant, List.of(expected));
    }

    @Test
    void openAiSdkStreamEndsWithUsageAndIsCharged() {
        Tenant tenant = tenant("100.00", Map.of());
        String model = defineModel("openai", "fake-chat", "RUB", 4096);

        StringBuilder text = new StringBuilder();
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = openAi(tenant.secret()).chat().completions().createStreaming(
                ChatCompletionCreateParams.builder().model(model).addUserMessage("Count")
                        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
            stream.stream().forEach(chunk -> {
                chunks.add(chunk);
                chunk.choices().forEach(choice -> choice.delta().content().ifPresent(text::append));
            });
        }

        assertThat(text.toString()).startsWith("word0 word1");
        ChatCompletionChunk last = chunks.get(chunks.size() - 1);
        assertThat(last.choices()).isEmpty();
        assertThat(last.usage().orElseThrow().completionTokens()).isEqualTo(7);
        awaitCharges(tenant, List.of(charge(FakeUpstream.PROMPT_TOKENS, 7)));
    }

    @Test
    void openAiSdkEmbeddingsInItsDefaultBase64() {
        Tenant tenant = tenant("100.00", Map.of());
        String model = defineModel("openai", "fake-embed", "RUB", null);

        CreateEmbeddingResponse embeddings = openAi(tenant.secret()).embeddings().create(
                EmbeddingCreateParams.builder().model(model).input("embed me").build());

        assertThat(embeddings.data().get(0).embedding()).containsExactly(0.25f, -0.5f);
        awaitCharges(tenant, List.of(charge(5, 0)));
    }

    @Test
    void modelsListsOnlyWhatTheKeyMayUse() {
        String allowed = defineModel("openai", "fake-chat", "RUB", null);
        String other = defineModel("openai", "fake-chat", "RUB", null);
        Tenant tenant = tenant("1.00", Map.of("models", List.of(allowed)));

        List<Model> models = openAi(tenant.secret()).models().list().data();

        assertThat(models).extracting(Model::id).contains(allowed).doesNotContain(other);
        assertThat(models.get(0).ownedBy()).isNotBlank();
        assertThat(models.get(0).created()).isPositive();

        Response forbidden = v1(tenant.secret(), "/v1/chat/completions", chatBody(other, false));
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(forbidden.body().at("/error/type").asText()).isEqualTo("invalid_request_error");
        Response unknown = v1(tenant.secret(), "/v1/chat/completions", chatBody("no-such-model-" + UUID.randomUUID(), false));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body().at("/error/code").asText()).isEqualTo("model_not_found");
    }

    @Test
    void openAiSdkSeesBadKeyEmptyBalanceAndRateLimitAsOpenAiErrors() {
        String model = defineModel("openai", "fake-chat", "RUB", null);
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model(model).addUserMessage("hi")
                .build();

        assertThatThrownBy(() -> openAi("sk-aiagg-not-a-real-key").chat().completions().create(params))
                .isInstanceOf(UnauthorizedException.class);

        Tenant broke = tenant(null, Map.of());
        assertThatThrownBy(() -> openAi(broke.secret()).chat().completions().create(params))
                .isInstanceOfSatisfying(OpenAIServiceException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(402);
                    assertThat(e.code()).contains("insufficient_quota");
                });

        Tenant limited = tenant("10.00", Map.of("rpm", 1));
        openAi(limited.secret()).chat().completions().create(params);
        Response second = v1(limited.secret(), "/v1/chat/completions", chatBody(model, false));
        assertThat(second.status()).isEqualTo(429);
        assertThat(second.headers().getFirst("Retry-After")).isNotBlank();
        assertThat(second.headers().getFirst("x-ratelimit-limit-requests")).isEqualTo("1");
        assertThat(second.headers().getFirst("x-ratelimit-remaining-requests")).isEqualTo("0");
        assertThatThrownBy(() -> openAi(limited.secret()).chat().completions().create(params))
                .isInstanceOf(RateLimitException.class);
    }

    @Test
    void anthropicSdkMessagesPlainAndStreamed() {
        Tenant tenant = tenant("100.00", Map.of());
        String model = defineModel("anthropic", "claude-fake", "RUB", null);
        AnthropicClient client = AnthropicOkHttpClient.builder()
                .baseUrl("http://127.0.0.1:" + port).apiKey(tenant.secret()).maxRetries(0).build();
        MessageCreateParams params = MessageCreateParams.builder().model(model).maxTokens(256)
                .addUserMessage("Say hello").build();

        Message message = client.messages().create(params);
        assertThat(message.content().get(0).text().orElseThrow().text()).isEqualTo(FakeUpstream.ANSWER);
        assertThat(message.usage().inputTokens()).isEqualTo(FakeUpstream.PROMPT_TOKENS);

        StringBuilder streamed = new StringBuilder();
        try (var stream = client.messages().createStreaming(params)) {
            stream.stream().forEach(event -> event.contentBlockDelta().ifPresent(delta ->
                    delta.delta().text().ifPresent(text -> streamed.append(text.text()))));
        }
        assertThat(streamed.toString()).isEqualTo(FakeUpstream.ANSWER);
        long each = charge(FakeUpstream.PROMPT_TOKENS, FakeUpstream.COMPLETION_TOKENS);
        awaitCharges(tenant, List.of(each, each));
    }

    @Test
    void aClientThatLeavesMidStreamPaysForWhatWasGenerated() throws Exception {
        Tenant tenant = tenant("100.00", Map.of());
        String model = defineModel("openai", "fake-slow", "RUB", 4096);

        HttpResponse<InputStream> response = HttpClient.newHttpClient().send(streamRequest(tenant.secret(), model),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        try (InputStream body = response.body()) {
            BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
            int events = 0;
            while (events < 10) {
                String line = reader.readLine();
                if (line != null && line.startsWith("data: ")) {
                    events++;
                }
            }
        }

        List<Long> charges = awaitCharges(tenant, 1);
        long full = charge(FakeUpstream.PROMPT_TOKENS, 200);
        assertThat(charges.get(0)).isPositive().isLessThan(full);
        assertThat(balance(tenant).reserved()).isZero();
    }

    @Test
    void anUpstreamThatFailsMidStreamIsChargedForWhatWasSent() throws Exception {
        Tenant tenant = tenant("100.00", Map.of());
        String model = defineModel("openai", "fake-cut", "RUB", 4096);

        HttpResponse<String> response = HttpClient.newHttpClient().send(streamRequest(tenant.secret(), model),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("word2").contains("\"error\"");
        List<Long> charges = awaitCharges(tenant, 1);
        assertThat(charges.get(0)).isPositive().isLessThan(charge(FakeUpstream.PROMPT_TOKENS, 4096));
        assertThat(balance(tenant).reserved()).isZero();
    }

    @Test
    void sixtyFourStreamsOnABalanceForAboutTwentyNeverOverspend() throws Exception {
        String model = defineModel("openai", "fake-chat", "RUB", 1000);
        // One call reserves (prompt + 1,000 completion tokens) and is charged far less; about twenty holds fit.
        long hold = charge(30, 1000);
        Tenant tenant = tenant(Money.format(hold * 20), Map.of());
        long opening = hold * 20;

        ExecutorService clients = Executors.newFixedThreadPool(64);
        List<Future<Integer>> statuses = new ArrayList<>();
        HttpClient http = HttpClient.newHttpClient();
        for (int i = 0; i < 64; i++) {
            statuses.add(clients.submit(() -> http.send(streamRequest(tenant.secret(), model),
                    HttpResponse.BodyHandlers.ofString()).statusCode()));
        }
        Map<Integer, Integer> counts = new HashMap<>();
        for (Future<Integer> status : statuses) {
            counts.merge(status.get(2, TimeUnit.MINUTES), 1, Integer::sum);
        }
        clients.shutdown();

        assertThat(counts.keySet()).containsOnly(200, 402);
        int served = counts.getOrDefault(200, 0);
        assertThat(served).isGreaterThanOrEqualTo(20);
        List<Long> charges = awaitCharges(tenant, served);
        long spent = charges.stream().mapToLong(Long::longValue).sum();
        Balance balance = balance(tenant);
        assertThat(spent).isLessThanOrEqualTo(opening);
        assertThat(balance.balance()).isEqualTo(opening - spent).isNotNegative();
        assertThat(balance.reserved()).isZero();
        assertThat(statementTotal(tenant)).isEqualTo(balance.balance());
        assertThat(jdbc.queryForObject("""
                select coalesce(sum((convert_from(payload, 'UTF8')::jsonb ->> 'uncollectedMicros')::bigint), 0)
                from domain_event_entry where aggregate_identifier = ? and payload_type in (?, ?)
                """, Long.class, "acct_" + tenant.company().companyId(), ChargedAgainstHold.class.getName(),
                ReservationSettled.class.getName()))
                .as("every call was covered by its hold: nothing written off as uncollected").isZero();
    }

    @Test
    void aKeysCallsShareOneHoldWhichIsGivenBackOnceTheyAreCharged() {
        Tenant tenant = tenant("100.00", Map.of());
        String model = defineModel("openai", "fake-chat", "RUB", 100);

        for (int i = 0; i < 20; i++) {
            assertThat(v1(tenant.secret(), "/v1/chat/completions", chatBody(model, false)).status()).isEqualTo(200);
        }

        long each = charge(FakeUpstream.PROMPT_TOKENS, FakeUpstream.COMPLETION_TOKENS);
        awaitCharges(tenant, Collections.nCopies(20, each));
        Map<String, Long> events = new HashMap<>();
        jdbc.queryForList("select payload_type, count(*) as n from domain_event_entry where aggregate_identifier = ? "
                        + "group by payload_type", "acct_" + tenant.company().companyId())
                .forEach(row -> events.put(((String) row.get("payload_type")).replaceAll(".*\\.", ""),
                        (Long) row.get("n")));
        assertThat(events).containsEntry("FundsReserved", 1L).containsEntry("ReservationReleased", 1L)
                .containsEntry("ChargedAgainstHold", 20L);
    }

    @Test
    void aKeysMonthlyBudgetStopsItsCallsBeforeItIsExceeded() {
        Tenant tenant = tenant("100.00", Map.of("monthlyBudget", "0.50"));
        String model = defineModel("openai", "fake-chat", "RUB", 100);

        int served = 0;
        Response refused = null;
        while (refused == null && served < 200) {
            Response answer = v1(tenant.secret(), "/v1/chat/completions", chatBody(model, false));
            if (answer.status() == 200) {
                served++;
            } else {
                refused = answer;
            }
        }

        assertThat(refused).isNotNull();
        assertThat(refused.status()).isEqualTo(402);
        assertThat(refused.body().at("/error/code").asText()).isEqualTo("insufficient_quota");
        List<Long> charges = awaitCharges(tenant, served);
        assertThat(charges.stream().mapToLong(Long::longValue).sum()).isLessThanOrEqualTo(Money.parseMicros("0.50"));
        assertThat(served).as("the budget covers dozens of these calls").isGreaterThan(20);
    }

    @Test
    void aRevokedKeyStopsWorkingWithinASecond() {
        Tenant tenant = tenant("10.00", Map.of());
        String model = defineModel("openai", "fake-chat", "RUB", null);
        assertThat(v1(tenant.secret(), "/v1/chat/completions", chatBody(model, false)).status()).isEqualTo(200);
        String keyId = tenant.keyId();

        long revoked = System.nanoTime();
        assertThat(call(HttpMethod.DELETE, "/api/keys/" + keyId, tenant.company().accessToken(), null).status())
                .isBetween(200, 204);
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20)).until(() ->
                v1(tenant.secret(), "/v1/chat/completions", chatBody(model, false)).status() == 401);
        assertThat(Duration.ofNanos(System.nanoTime() - revoked)).isLessThan(Duration.ofSeconds(1));
    }

    @Test
    void aRepeatedDeterministicRequestIsAnsweredFromTheCacheForFree() {
        Tenant tenant = tenant("10.00", Map.of());
        String model = defineModel("openai", "fake-chat", "RUB", 100);
        Map<String, Object> body = Map.of("model", model, "temperature", 0,
                "messages", List.of(Map.of("role", "user", "content", "cache me")));
        Map<String, String> optIn = Map.of("x-aiagg-cache", "true");

        Response first = call(HttpMethod.POST, "/v1/chat/completions", tenant.secret(), body, optIn);
        Response second = call(HttpMethod.POST, "/v1/chat/completions", tenant.secret(), body, optIn);

        assertThat(first.status()).isEqualTo(200);
        assertThat(first.headers().getFirst("x-aiagg-cache")).isNull();
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.headers().getFirst("x-aiagg-cache")).isEqualTo("hit");
        assertThat(second.body().at("/choices/0/message/content").asText())
                .isEqualTo(first.body().at("/choices/0/message/content").asText());
        long full = charge(FakeUpstream.PROMPT_TOKENS, FakeUpstream.COMPLETION_TOKENS);
        // A free hit moves no money, so it is no statement entry; the usage report counts it as a cache hit.
        awaitUsage(tenant, model, 2, 0, 1, full);
        awaitCharges(tenant, List.of(full));
    }

    @Test
    void anotherCompanysIdenticalRequestIsNeverAnsweredFromTheCache() {
        String model = defineModel("openai", "fake-chat", "RUB", 100);
        Tenant first = tenant("10.00", Map.of());
        Tenant other = tenant("10.00", Map.of());
        Map<String, Object> body = Map.of("model", model, "temperature", 0,
                "messages", List.of(Map.of("role", "user", "content", "our secret plan " + UUID.randomUUID())));
        Map<String, String> optIn = Map.of("x-aiagg-cache", "true");

        Response asked = call(HttpMethod.POST, "/v1/chat/completions", first.secret(), body, optIn);
        Response askedAgain = call(HttpMethod.POST, "/v1/chat/completions", first.secret(), body, optIn);
        Response otherCompany = call(HttpMethod.POST, "/v1/chat/completions", other.secret(), body, optIn);

        assertThat(asked.status()).isEqualTo(200);
        assertThat(askedAgain.headers().getFirst("x-aiagg-cache")).isEqualTo("hit");
        assertThat(otherCompany.status()).isEqualTo(200);
        assertThat(otherCompany.headers().getFirst("x-aiagg-cache")).as("answered by the provider").isNull();
        long full = charge(FakeUpstream.PROMPT_TOKENS, FakeUpstream.COMPLETION_TOKENS);
        awaitUsage(other, model, 1, 0, 0, full);
        awaitCharges(other, List.of(full));
    }

    @Test
    void aKeyThatOptsInIsAnsweredFromTheCacheWithoutTheHeader() {
        Tenant tenant = tenant("10.00", Map.of("responseCache", true));
        String model = defineModel("openai", "fake-chat", "RUB", 100);
        Map<String, Object> body = Map.of("model", model, "temperature", 0,
                "messages", List.of(Map.of("role", "user", "content", "cache me by key")));

        Response first = call(HttpMethod.POST, "/v1/chat/completions", tenant.secret(), body);
        Response second = call(HttpMethod.POST, "/v1/chat/completions", tenant.secret(), body);
        Response notThisTime = call(HttpMethod.POST, "/v1/chat/completions", tenant.secret(), body,
                Map.of("x-aiagg-cache", "false"));

        assertThat(first.headers().getFirst("x-aiagg-cache")).isNull();
        assertThat(second.headers().getFirst("x-aiagg-cache")).isEqualTo("hit");
        assertThat(notThisTime.headers().getFirst("x-aiagg-cache")).isNull();
        long full = charge(FakeUpstream.PROMPT_TOKENS, FakeUpstream.COMPLETION_TOKENS);
        awaitUsage(tenant, model, 3, 0, 1, 2 * full);
        awaitCharges(tenant, List.of(full, full));
    }

    @Test
    void aCallThatFailsAtTheProviderCostsNothingAndShowsAsAFailedRequest() {
        Tenant tenant = tenant("10.00", Map.of());
        String model = defineModel("openai", "fake-down", "RUB", 100);

        Response failed = v1(tenant.secret(), "/v1/chat/completions", chatBody(model, false));

        assertThat(failed.status()).isEqualTo(502);
        assertThat(failed.body().at("/error/type").asText()).isEqualTo("server_error");
        awaitUsage(tenant, model, 1, 1, 0, 0);
        // The key's hold is given back once it has been idle a while.
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> balance(tenant).equals(new Balance(Money.parseMicros("10.00"), 0)));
        assertThat(statementTotal(tenant)).isEqualTo(Money.parseMicros("10.00"));
    }

    @Test
    void theRequestIdTheClientSeesNamesTheChargeAndCorrelatesItsEvents() {
        Tenant tenant = tenant("10.00", Map.of());
        String model = defineModel("openai", "fake-chat", "RUB", null);

        Response answer = call(HttpMethod.POST, "/v1/chat/completions", tenant.secret(), chatBody(model, false),
                Map.of("X-Request-Id", "client-chosen-id"));

        String requestId = answer.headers().getFirst("X-Request-Id");
        assertThat(requestId).startsWith("req_");
        awaitCharges(tenant, 1);
        List<String> charged = jdbc.queryForList("""
                select convert_from(meta_data, 'UTF8') from domain_event_entry
                where aggregate_identifier = ? and convert_from(payload, 'UTF8') like ?
                """, String.class, "acct_" + tenant.company().companyId(), "%\"requestId\":\"" + requestId + "\"%");
        assertThat(charged).singleElement().satisfies(meta ->
                assertThat(meta).contains("\"correlationId\":\"" + requestId + "\""));
        // The call found no hold of its key open, so it opened one, in its own name.
        List<String> opened = jdbc.queryForList("""
                select convert_from(meta_data, 'UTF8') from domain_event_entry
                where aggregate_identifier = ? and payload_type = ?
                """, String.class, "acct_" + tenant.company().companyId(), FundsReserved.class.getName());
        assertThat(opened).singleElement().satisfies(meta ->
                assertThat(meta).contains("\"correlationId\":\"" + requestId + "\""));
    }
}
